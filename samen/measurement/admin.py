from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from samen.measurement.models import (
    Dimension,
    DimensionValue,
    ImportBatch,
    Indicator,
    IndicatorVersion,
    Measurement,
    MeasurementChange,
    Narrative,
    Target,
)
from samen.measurement.services import indicator_save, published_data_changed


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class VersionInline(TranslationTabularInline):
    model = IndicatorVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "valid_from", "definition", "unit", "kind", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(TranslationAdmin):
    list_display = ["code", "name", "unit", "kind", "frequency", "steward", "version", "is_published"]
    list_filter = ["level", "unit", "kind", "frequency", "is_published", "steward", "goals__domain"]
    search_fields = ["code", "name_nl", "name_en", "definition_nl", "definition_en"]
    list_select_related = ["steward"]
    filter_horizontal = ["goals", "challenges", "dimensions"]
    autocomplete_fields = ["steward"]
    inlines = [TargetInline, VersionInline]

    def save_model(self, request, obj, form, change):
        # A changed definition, unit or kind becomes a new dated version, so charts can mark it.
        indicator_save(indicator=obj, actor=request.user, note="changed in the curation pages")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        published_data_changed([form.instance.pk])  # targets and goals show on the public pages


class DimensionValueInline(TranslationTabularInline):
    model = DimensionValue
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(TranslationAdmin):
    list_display = ["name", "slug"]
    list_filter = [("indicators", admin.EmptyFieldListFilter)]
    search_fields = ["slug", "name_nl", "name_en"]
    inlines = [DimensionValueInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        published_data_changed(form.instance.indicators.values_list("pk", flat=True))  # names show in breakdowns


class ChangeInline(admin.TabularInline):
    model = MeasurementChange
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "action", "old", "new", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = [
        "indicator",
        "period_start",
        "period_end",
        "area",
        "dims",
        "value",
        "numerator",
        "denominator",
        "status",
    ]
    list_filter = ["status", "indicator", "period_end", "area__kind"]
    search_fields = ["indicator__code", "area__name", "dims"]
    list_select_related = ["indicator", "area"]
    readonly_fields = ["status", "kept", "area_key", "batch", "updated_at"]
    inlines = [ChangeInline]
    date_hierarchy = "period_end"
    show_full_result_count = False

    # Values change through the stewards' pages, the import and the API, with their history;
    # here they can be read and, by an admin, removed.
    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        published_data_changed([obj.indicator_id])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("indicator_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        published_data_changed(ids)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Narrative)
class NarrativeAdmin(TranslationAdmin):
    list_display = ["indicator", "period_end", "author", "written_at"]
    list_filter = ["indicator", "period_end"]
    search_fields = ["indicator__code", "text_nl", "text_en"]
    list_select_related = ["indicator", "author"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        published_data_changed([obj.indicator_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        published_data_changed([obj.indicator_id])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("indicator_id", flat=True))
        super().delete_queryset(request, queryset)
        published_data_changed(ids)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "at", "by", "organisation", "rows", "new", "changed", "unchanged"]
    list_filter = ["organisation", "at"]
    search_fields = ["file_name", "by__email", "organisation__name"]
    list_select_related = ["by", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The batches are the record of who imported what; only an import's own undo deletes one (a delete here
        # would also rewrite every value of the import, in one transaction, through a column with no index).
        return False
