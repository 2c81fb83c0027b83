"""The network API: the public growth summary against the ambition's milestones."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from samen.network.selectors.growth import growth_view

router = Router(tags=["network"])


class MonthOut(Schema):
    month: datetime.date = Field(..., description="The first day of the month.")
    members: int = Field(..., description="Members at the end of the month.")
    organisations: int = Field(..., description="Partner organisations at the end of the month.")


class MilestoneOut(Schema):
    members: int
    date: datetime.date
    label: str
    reached: bool


class ForecastPointOut(Schema):
    month: datetime.date
    members: int


class ForecastOut(Schema):
    method: str
    monthly_growth_rate: float = Field(..., description="0.05 means 5 % more members a month.")
    window_months: int
    next_milestone: int | None = Field(None, description="Members of the next milestone not yet reached.")
    next_milestone_reached_on: datetime.date | None = Field(
        None, description="The month the forecast reaches it; null if it never does at this rate."
    )
    on_track: bool | None = Field(None, description="Whether that is by the milestone's date.")
    points: list[ForecastPointOut]


class GrowthOut(Schema):
    members: int
    organisations: int
    months: list[MonthOut] = Field(
        ...,
        description=(
            "The members at the end of each year and of the latest month. A year-end whose total would,"
            " with the others, give away how many people joined in a year below the disclosure threshold"
            " is left out."
        ),
    )
    forecast_withheld: bool = Field(
        False,
        description="True when the forecast is left out: its rate would give away how many people joined lately.",
    )
    milestones: list[MilestoneOut]
    forecast: ForecastOut | None


FORECAST_METHOD = "compound monthly growth rate over the last twelve months, carried on"


@router.get("/network/growth", response=GrowthOut, summary="Growth of the network against the ambition's milestones")
def network_growth(request: HttpRequest):
    """Members and partner organisations at the end of each year, the milestones and a forecast at the current rate."""
    view = growth_view(today=timezone.localdate(), public=True)
    orgs = {p.month: p.total for p in view.organisations}
    forecast = None
    if view.forecast is not None:
        outlook = view.outlook
        forecast = {
            "method": FORECAST_METHOD,
            "monthly_growth_rate": round(view.forecast.monthly_rate, 6),
            "window_months": view.forecast.window_months,
            "next_milestone": outlook.next_milestone.members if outlook.next_milestone else None,
            "next_milestone_reached_on": outlook.reached_on,
            "on_track": outlook.on_track,
            "points": [{"month": p.month, "members": p.total} for p in view.forecast.points],
        }
    return {
        "members": view.member_total,
        "organisations": view.organisation_total,
        "months": [{"month": p.month, "members": p.total, "organisations": orgs.get(p.month, 0)} for p in view.members],
        "forecast_withheld": view.forecast_withheld,
        "milestones": [
            {"members": m.members, "date": m.date, "label": m.label, "reached": m.members <= view.member_total}
            for m in view.milestones
        ],
        "forecast": forecast,
    }
