"""The process in order, as a table and as a picture: every meeting, resolution and
opening for signature the graph dates (queries/timeline.rq), with how many positions
named actors and anonymous collectives took at each meeting, the recorded vote on each
resolution, and the treaty actions on record for each instrument.

`steps(engine)` gives the rows; `render(steps, fmt)` draws them (PNG or SVG, the same
bytes for the same steps): one row per step, its marker at its date, a meeting's sized
by its positions, and what happened in words beside it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from kg.draw.labels import wrapped
from kg.query.catalogue import canned_rows

LANES = ("meeting", "resolution", "opened for signature")
COLOURS = {"meeting": "#4c72b0", "resolution": "#c44e52", "opened for signature": "#55a868"}


@dataclass
class Step:
    day: str
    kind: str
    label: str
    node: str
    named: int = 0
    anonymous: int = 0
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    acts: int = 0
    title: str = ""
    note: str = ""

    @property
    def what(self) -> str:
        """What the step holds, in words."""
        if self.kind == "meeting":
            if self.named or self.anonymous:
                return f"{self.named} named and {self.anonymous} anonymous positions"
            return "no report of it read here"
        if self.kind == "resolution":
            # the vote, then the title and what the resolution did: 73/27 and 73/187 are not alike
            vote = (
                f"recorded vote: {self.yes} yes, {self.no} no, {self.abstain} abstentions"
                if self.yes is not None
                else ""
            )
            said = ". ".join(
                part for part in (vote, f"\u201c{self.title}\u201d" if self.title else "", self.note) if part
            )
            return said or "no recorded vote here"
        return f"{self.acts} treaty actions on record" if self.acts else ""

    @property
    def briefly(self) -> str:
        """What the step holds in a line of the picture: a resolution's vote and title
        (what it did is in the table)."""
        if self.kind != "resolution" or not self.title:
            return self.what
        vote = (
            f"recorded vote: {self.yes} yes, {self.no} no, {self.abstain} abstentions. " if self.yes is not None else ""
        )
        return f"{vote}\u201c{self.title}\u201d"


def steps(engine) -> list[Step]:
    """Every dated step the graph holds, in order of date."""
    out = []
    for value in canned_rows(engine, "timeline"):

        def number(name: str) -> int | None:
            return int(value[name]) if value[name] else None

        out.append(
            Step(
                value["date"],
                value["kind"],
                value["eventLabel"],
                value["event"],
                number("named") or 0,
                number("anonymous") or 0,
                number("yes"),
                number("no"),
                number("abstain"),
                number("acts") or 0,
                value.get("title", ""),
                value.get("note", ""),
            )
        )
    return out


def render(found: list[Step], fmt: str, title: str = "The process, step by step") -> bytes:
    """The steps as a picture, PNG or SVG: one row per step, in order of date, its marker at
    its date (coloured by kind, a meeting's sized by the positions taken there) and its
    words in a column of their own, so that no label covers another."""
    if fmt not in ("png", "svg"):
        raise ValueError(fmt)
    import matplotlib
    from matplotlib.dates import YearLocator, date2num
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    dated = [(date.fromisoformat(s.day[:10]), s) for s in found if len(s.day) >= 10]
    figure = Figure(figsize=(16, max(4.0, 0.3 * len(dated) + 1.6)), dpi=100)
    axes = figure.add_axes((0.04, 0.08, 0.3, 0.84))
    largest = max([s.named + s.anonymous for _, s in dated] + [1])
    for row, (day, step) in enumerate(dated):
        positions = step.named + step.anonymous
        size = 30 + 320 * (positions / largest) ** 0.5 if step.kind == "meeting" and positions else 30
        colour = COLOURS.get(step.kind, "#7f7f7f")
        axes.axhline(-row, color="#eeeeee", linewidth=0.6, zorder=1)
        axes.scatter([date2num(day)], [-row], s=size, color=colour, zorder=3)
        # one line each, cut between words (the table gives them whole)
        words = wrapped(step.label, 90, lines=1)
        what = wrapped(step.briefly, max(40, 150 - len(words)), lines=1)
        axes.annotate(
            f"{day.isoformat()}  {words}" + (f"  —  {what}" if what else ""),
            (1.02, -row),
            xycoords=("axes fraction", "data"),
            va="center",
            fontsize=8,
            color="#555555" if step.what.startswith("no ") else "#111111",
            annotation_clip=False,
        )
    axes.set_ylim(-len(dated) + 0.4, 0.8)
    axes.set_yticks([])
    axes.xaxis.set_major_locator(YearLocator(2))
    axes.xaxis_date()
    axes.tick_params(axis="x", labelsize=8, labelrotation=45)
    axes.grid(axis="x", color="#dddddd")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    legend = [Line2D([], [], marker="o", linestyle="", color=COLOURS[kind], label=kind, markersize=7) for kind in LANES]
    figure.legend(handles=legend, loc="upper right", ncols=len(LANES), fontsize=9, frameon=False)
    figure.suptitle(
        f"{title}: {len(dated)} steps; a meeting's dot is sized by the positions taken there",
        fontsize=11,
        x=0.05,
        ha="left",
    )
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "cyberkg", "svg.fonttype": "none"}):
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
