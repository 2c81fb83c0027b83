"""Stories of people helped: a member tells one, the backbone publishes it on the challenge page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from samen.agenda import selectors, services
from samen.agenda.forms import StoryForm
from samen.agenda.models import Story


@login_required
@require_http_methods(["GET", "POST"])
def story_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("agenda.tell_story"):
        raise PermissionDenied
    challenges = selectors.published_challenges()
    chosen = challenges.filter(slug=request.GET.get("challenge", "")).first()
    form = StoryForm(request.POST or None, challenges=challenges, initial={"challenge": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            services.story_submit(author=request.user, language=translation.get_language() or "nl", **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Thank you for the story. The backbone reads it before it is published."))
            return redirect(form.cleaned_data["challenge"])
    return render(request, "agenda/story_form.html", {"form": form})


@login_required
def story_review_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("agenda.review_story"):
        raise PermissionDenied
    return render(request, "agenda/story_review.html", {"stories": selectors.stories_to_review()})


@login_required
@require_POST
def story_review(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("agenda.review_story"):
        raise PermissionDenied
    story = get_object_or_404(Story, pk=pk)
    publish = request.POST.get("decision") == "publish"
    services.story_review(story=story, actor=request.user, publish=publish)
    messages.success(request, _("The story is published.") if publish else _("The story will not be published."))
    return redirect("agenda:story_review_list")
