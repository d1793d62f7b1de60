"""The `cyberkg` command line: one subcommand per stage of the data flow.

Every user mistake ends in one line on stderr and a non-zero exit (2 for usage errors),
never a traceback; see `main`.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kg import __version__
from kg.config import BASE_ENV, DEFAULT_BASE, data_base
from kg.errors import CyberkgError, UsageError

HELP = f"""Build and query a knowledge graph of UN cybercrime diplomacy.

\b
cyberkg reads UN meeting reports on cybercrime (the Expert Group on
Cybercrime, the Ad Hoc Committee on a cybercrime convention), turns them
into RDF with every statement traced to its paragraph, checks the graph
with SHACL, answers canned SPARQL questions ("who supported which
instrument?"), exports it for linked-data portals and draws the networks
of positions and alignment.

\b
Data IRIs are minted under --base (or ${BASE_ENV}); the default is
{DEFAULT_BASE}.

The commands below follow the data flow: check the vocabulary, build the
graph, validate it, query it, export it, draw it. Run 'cyberkg COMMAND
--help' for the options of a command.
"""


class OrderedGroup(click.Group):
    """A group that lists its commands in the order of the data flow, not alphabetically."""

    ORDER = (
        "ontology",
        "reference",
        "extract",
        "build",
        "validate",
        "queries",
        "query",
        "sparql",
        "profile",
        "timeline",
        "export",
        "publish",
        "network",
    )

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands, key=lambda name: self.ORDER.index(name) if name in self.ORDER else len(self.ORDER))


@click.group(
    cls=OrderedGroup, help=HELP, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "-V", "--version", prog_name="cyberkg", message="%(prog)s %(version)s")
@click.option(
    "--base",
    metavar="IRI",
    default=None,
    help=f"Base IRI for the graph's own nodes [default: ${BASE_ENV} or {DEFAULT_BASE}].",
)
@click.pass_context
def cli(ctx: click.Context, base: str | None) -> None:
    ctx.obj = {"base": data_base(base)}
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


class Seconds(click.FloatRange):
    """A number of seconds for --timeout: positive and finite (click's FloatRange lets
    'nan' and 'inf' through, since no comparison with nan fails)."""

    name = "number of seconds"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds (expected e.g. 30)", param, ctx)
        return number


SECONDS = Seconds(min=0.01)


class Megabytes(click.FloatRange):
    """A size in MB for --max-report-size: above 0, `inf` for no limit (FloatRange lets nan through)."""

    name = "MB"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a size in MB (expected e.g. 2)", param, ctx)
        return number


report_size_option = click.option(
    "--max-report-size",
    type=Megabytes(min=0, min_open=True),
    default=None,
    help="Refuse a report larger than this many MB of text, before reading it [default: 1; "
    "extraction takes about 10 s a MB; inf for no limit].",
)


def new_console(stderr: bool = False, width: int | None = None) -> Console:
    """The console every command prints on. Text from documents, graphs, queries and file
    names is printed as it is, never read as rich markup ("[/bold]" in a title), emoji
    codes or highlighting; a styled word comes as a Text (`styled`)."""
    return Console(stderr=stderr, width=width, markup=False, emoji=False, highlight=False)


def styled(word: str, style: str, rest: str = "") -> Text:
    """`word` in `style`, then `rest` as it is."""
    return Text.assemble((word, style), rest)


# -- ontology ----------------------------------------------------------------------


@cli.group()
def ontology() -> None:
    """Check the vocabulary or render its documentation.

    The vocabulary is the folder ontology/: cyberkg.ttl (classes and
    properties), schemes.ttl (coded values such as stances and vote options)
    and topics.ttl (the topic scheme).
    """


@ontology.command("check")
@click.argument("data", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--example/--no-example", default=True, show_default=True, help="Also check the bundled example graph.")
def ontology_check(data: tuple[Path, ...], example: bool) -> None:
    """Check that the vocabulary is well formed and that data uses it consistently.

    \b
    The vocabulary must have a complete header, a label and a definition for
    every term, a domain and range for every property, no undeclared term and
    no subclass cycle. Each DATA file (and the bundled example graph) is then
    checked without a reasoner: every class and property it uses is declared,
    subjects fit the domain, objects the range, literals the datatype,
    functional properties have one value and no node is in two disjoint
    classes.

    \b
    Exit status: 0 when everything is consistent, 1 when a problem is found.

    \b
    Example:
      cyberkg ontology check
      cyberkg ontology check my-graph.ttl
    """
    from rdflib import Graph

    from kg import resources
    from kg.graphio import parse_into
    from kg.ontology import Vocabulary, load_ontology

    console = new_console()
    vocabulary = Vocabulary(load_ontology())
    table = Table(title="cyberkg ontology", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, count in vocabulary.summary().items():
        table.add_row(what, str(count))
    console.print(table)

    problems = [("vocabulary", p) for p in vocabulary.check()]
    files = ([resources.example_graph()] if example else []) + list(data)
    for path in files:
        graph = parse_into(Graph(), path)
        found = vocabulary.check_instances(graph)
        problems += [(str(path), p) for p in found]
        console.print(
            f"{path}: {len(graph)} triples, {'consistent' if not found else f'{len(found)} problem(s)'}", soft_wrap=True
        )
    for where, problem in problems:
        console.print(styled("problem", "red", f" {where}: {problem}"), soft_wrap=True)
    if problems:
        raise CyberkgError(f"{len(problems)} problem(s) found")
    console.print(styled("The vocabulary is well formed and consistent.", "green"))


@ontology.command("docs")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("ontology.html"),
    show_default=True,
    help="Where to write the HTML page.",
)
def ontology_docs(output: Path) -> None:
    """Render the ontology's HTML documentation with pyLODE.

    Needs the docs extra: pip install 'cyberkg[docs]'.

    \b
    Example:
      cyberkg ontology docs -o build/docs/ontology.html
    """
    from kg.docs import write_ontology_html

    path = write_ontology_html(output)
    click.echo(f"wrote {path}")


# -- build and extract -------------------------------------------------------------------

DEFAULT_GRAPH = Path("out") / "cyberkg.trig"


def validation_options(command):
    """The options 'cyberkg validate' and 'cyberkg build' share."""
    options = [
        click.option(
            "--whole",
            is_flag=True,
            help="Check the union of the named graphs in one pyshacl run, without the cache "
            "(slower; the same findings).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            help="Worker processes: for the checks not in the cache, and in a build for reading "
            "a corpus of many documents [default: one per core].",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help="Where findings are cached [default: $CYBERKG_CACHE_DIR, else ~/.cache/cyberkg/validation].",
        ),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the validation cache."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def run_validation(
    graphs,
    shapes,
    whole: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    console: Console,
    quiet: bool = False,
):
    """kg.validate.validate with a progress bar over its checks."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.validate import validate
    from kg.validate.cache import Cache

    cache = False if no_cache else Cache(cache_dir) if cache_dir else None
    with Progress(
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,  # off a terminal rich draws nothing but a blank line
    ) as bar:
        task = bar.add_task("validating", total=None)
        return validate(
            graphs,
            shapes,
            split=not whole,
            cache=cache,
            jobs=jobs,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


@cli.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_GRAPH,
    show_default=True,
    help="Where to write the graph; the extension picks the format: .trig keeps one named graph per "
    "source document, .nq likewise, .ttl/.nt/.jsonld/.rdf hold the union.",
)
@click.option(
    "--rules",
    "rules_folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder with your own positions.toml and topics.toml [default: the bundled rules/].",
)
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Check the graph against the SHACL shapes before writing it. A report whose graph has "
    "violations is left out and named with its violations (exit status 1); the others are written.",
)
@click.option("--strict", is_flag=True, help="All or nothing: write no graph at all when any report has violations.")
@validation_options
@report_size_option
@click.option("--quiet", "-q", is_flag=True, help="Print only warnings and errors.")
@click.pass_context
def build_command(
    ctx: click.Context,
    sources: tuple[Path, ...],
    output: Path,
    rules_folder: Path | None,
    validate: bool,
    strict: bool,
    whole: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    max_report_size: float | None,
    quiet: bool,
) -> None:
    """Read reports, statements and reference data and write the knowledge graph.

    \b
    SOURCES are report files (plain text or markdown-ish text) or folders of
    them; with none, the bundled sample corpus is built. A file named as the
    UN General Debate Corpus names its speeches (EST_62_2007.txt) is that
    State's statement, with the speaker from a speakers.csv nearby; any other
    statement is named in a statements.csv beside it (file, speaker,
    occasion, date). Each document becomes one named graph, beside one for
    the reference data and one for the vocabulary. Every extracted statement
    points to its paragraph, and every position to its sentence. A report of
    what was found and of every warning is written next to the graph
    (NAME.report.json).

    \b
    Examples:
      cyberkg build
      cyberkg build reports/ -o out/reports.trig
      cyberkg build report.txt -o report.ttl
      cyberkg build ../shared/ungdc/speeches -o out/ungdc.trig
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from kg.pipeline import build_graph_file
    from kg.read import REPORT_LIMIT_MB
    from kg.validate.cache import Cache

    limit_mb = max_report_size or REPORT_LIMIT_MB
    console = new_console(stderr=True)
    with Progress(
        TextColumn("{task.description}", style="progress.description", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=quiet or not console.is_terminal,  # off a terminal rich draws nothing but a blank line
    ) as bar:
        reading = bar.add_task("reading reports", total=None, visible=False)
        checking = bar.add_task("validating", total=None, visible=False)

        def validating(done: int, total: int) -> None:
            bar.update(checking, completed=done, total=total, visible=True)

        def read(path: Path, total: int) -> None:
            bar.update(reading, advance=1, total=total, visible=total > 1)

        outcome = build_graph_file(
            list(sources),
            output,
            base=ctx.obj["base"],
            rules_folder=rules_folder,
            validate=validate,
            strict=strict,
            whole=whole,
            jobs=jobs,
            cache=False if no_cache else Cache(cache_dir) if cache_dir else None,
            on_document=read,
            on_validation=validating,
            report_limit_mb=limit_mb,
        )
    result, validation, rejected, report_path = (
        outcome.result,
        outcome.validation,
        outcome.rejected,
        outcome.report_path,
    )
    if validation is not None and not outcome.written:
        print_validation(validation, console)
        raise CyberkgError(
            f"the graph has {len(validation.violations)} SHACL violation(s); {output} not written "
            "(use --no-validate to write it anyway)"
        )
    out = new_console()
    if not quiet:
        out.print(build_table(result.documents))
    warnings = [w for d in result.documents for w in d.warnings]
    for warning in warnings[:MAX_WARNINGS]:
        console.print(styled("warning", "yellow", f" {warning}"), soft_wrap=True)
    if len(warnings) > MAX_WARNINGS:
        console.print(
            f"... and {len(warnings) - MAX_WARNINGS} more warning(s), every one listed in {report_path}",
            highlight=False,
            soft_wrap=True,
        )
    if result.reference_warnings and not quiet:
        console.print(
            f"reference data: {len(result.reference_warnings)} warning(s), listed in {report_path}", highlight=False
        )
    if validation is not None and not quiet:
        out.print(f"SHACL: conforms, {len(validation.warnings)} warning(s) (listed in {report_path})", highlight=False)
    if not quiet:
        out.print(f"wrote {output} ({result.statements} statements) and {report_path}", soft_wrap=True)
    for entry in rejected:
        console.print(
            styled("not written", "red", f" {entry.document.path}: {len(entry.violations)} SHACL violation(s)"),
            highlight=False,
            soft_wrap=True,
        )
        for finding, line in entry.violations:
            where = f"{entry.document.path}:{line}" if line else str(entry.document.path)
            console.print(
                f"  {where}: {finding.focus_label}: {finding.message}",
                highlight=False,
                soft_wrap=True,
            )
    if rejected:
        raise CyberkgError(
            f"{len(rejected)} report(s) broke the shapes and were left out of {output} "
            "(listed above and in the build report; --strict writes nothing in that case)"
        )


# A build prints this many warnings at most; the build report lists them all.
MAX_WARNINGS = 50
# Up to this many documents the build's table has a column for each; beyond, the totals.
TABLE_COLUMNS = 8


def build_table(documents: list) -> Table:
    """What each document yielded, a column each; for a corpus, the totals and how many
    documents yielded any."""
    table = Table(title=f"cyberkg build: {len(documents)} document(s)")
    table.add_column("what")
    keys = list(documents[0].counts) if documents else []
    if len(documents) <= TABLE_COLUMNS:
        for d in documents:
            table.add_column(d.path.name, justify="right", overflow="fold")
        for key in keys:
            table.add_row(key, *(str(d.counts[key]) for d in documents))
        return table
    table.add_column("in all", justify="right")
    table.add_column("documents with any", justify="right")
    for key in keys:
        table.add_row(key, str(sum(d.counts[key] for d in documents)), str(sum(1 for d in documents if d.counts[key])))
    return table


@cli.command("extract")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json for scripts (every item found, with its line).",
)
@click.option(
    "--rules",
    "rules_folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder with your own positions.toml and topics.toml.",
)
@report_size_option
@click.pass_context
def extract_command(
    ctx: click.Context, file: Path, fmt: str, rules_folder: Path | None, max_report_size: float | None
) -> None:
    """Show what one report yields, without writing a graph.

    \b
    Prints the report's metadata, how many sections, paragraphs,
    recommendations, speakers, panellists, citations and positions were
    found, and every warning with its line, so you can check a new report
    before building it. Exit status 0 even with warnings; 1 when the file
    cannot be read as a report.

    \b
    Example:
      cyberkg extract my-report.txt
      cyberkg extract my-report.txt --format json > found.json
    """
    import json

    from kg.builder import counts
    from kg.extract import Extractor
    from kg.extract.rules import load_rules
    from kg.extract.summary import summarise
    from kg.read import REPORT_LIMIT_MB
    from kg.reference import load_reference

    limit_mb = max_report_size or REPORT_LIMIT_MB
    extractor = Extractor(load_reference(ctx.obj["base"]), load_rules(rules_folder), ctx.obj["base"], limit_mb)
    extraction = extractor(file)
    found = summarise(extraction, extractor.iris)
    if fmt == "json":
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    console = new_console()
    meta = found["metadata"]
    console.print(styled(str(file), "bold"))
    for key in (
        "symbol",
        "date",
        "document_type",
        "title",
        "body",
        "meeting",
        "ordinal",
        "venue",
        "start_date",
        "end_date",
    ):
        console.print(f"  {key.replace('_', ' ')}: {meta.get(key)}", highlight=False, soft_wrap=True)
    table = Table(show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for key, value in counts(extraction).items():
        table.add_row(key, str(value))
    console.print(table)
    for position in found["positions"]:
        console.print(
            f"  position {position['passage']} s{position['sentence']}: {position['holder_label']} "
            f"{position['stance']} {position['target_label']} \\[{position['rule']}]",
            highlight=False,
            soft_wrap=True,
        )
    for warning in found["warnings"]:
        console.print(styled("warning", "yellow", f" {warning}"), soft_wrap=True)


# -- validate --------------------------------------------------------------------------------


def load_graph_file(path: Path):
    """A graph file as {named graph: its statements} (kg.rdf.Statements, read by
    pyoxigraph): TriG and N-Quads keep their graphs, other formats are one default graph."""
    from kg.graphio import read_statements

    if not path.is_file():
        raise CyberkgError(
            f"{path}: no such graph file (run 'cyberkg build' first, or name a .trig/.ttl file)", exit_code=2
        )
    return read_statements(path)


def print_validation(report, console: Console, limit: int = 20) -> None:
    """The report for people: grouped by shape, violations first, each focus node named."""
    for (severity, shape), findings in report.by_shape().items():
        colour = "red" if severity == "Violation" else "yellow"
        console.print(styled(severity, colour, f" {shape}: {len(findings)}"))
        for finding in findings[:limit]:
            where = f" (from {finding.source})" if finding.source and finding.source != finding.focus_label else ""
            value = f" [{finding.value}]" if finding.value else ""
            console.print(
                f"  - {finding.focus_label}{where}: {finding.message}{value}",
                highlight=False,
                soft_wrap=True,
            )
        if len(findings) > limit:
            console.print(f"  ... and {len(findings) - limit} more (use --format json for all)", highlight=False)


@cli.command("validate")
@click.argument("graph", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts, ttl for the W3C SHACL validation report.",
)
@click.option(
    "--shapes",
    "shapes_folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder of SHACL shapes [default: the bundled shapes/].",
)
@validation_options
def validate_command(
    graph: Path | None,
    fmt: str,
    shapes_folder: Path | None,
    whole: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Check a graph against the SHACL shapes.

    \b
    GRAPH is a graph file (.trig, .nq, .ttl, .nt, .jsonld); by default the one
    'cyberkg build' writes (out/cyberkg.trig). The report groups findings by
    shape, names each node by its label and, where there is one, the paragraph
    it came from. Warnings (legal but suspicious) do not fail a graph.

    A graph of several named graphs (what 'cyberkg build' writes) is checked
    one named graph at a time, in parallel, and what each check found is
    cached under a hash of its data and shapes: after a report is added, only
    that report and the nodes it shares with others are checked again. The
    findings are those of checking the union (--whole does exactly that, in
    one pyshacl run). Shapes that look past a node's own statements (SPARQL
    constraints, inverse paths) are checked on the graphs holding their focus
    nodes: use --whole for shapes of your own that read across graphs.

    \b
    Exit status: 0 when the graph conforms, 1 when it has violations, 2 for a
    usage error (a missing or malformed file).

    \b
    Examples:
      cyberkg validate
      cyberkg validate out/cyberkg.trig --format json
      cyberkg validate graph.ttl --format ttl > report.ttl
      cyberkg validate --jobs 4 --cache-dir .cache/validation
    """
    import json

    from kg.validate import load_shapes

    graphs = load_graph_file(graph or DEFAULT_GRAPH)
    report = run_validation(
        graphs, load_shapes(shapes_folder), whole, jobs, cache_dir, no_cache, new_console(stderr=True)
    )
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "conforms": report.conforms,
                    "violations": len(report.violations),
                    "warnings": len(report.warnings),
                    "findings": [f.as_dict() for f in report.findings],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    elif fmt == "ttl":
        click.echo(report.graph.serialize(format="turtle"))
    else:
        console = new_console()
        print_validation(report, console)
        verdict = Text("conforms", "green") if report.conforms else Text("does not conform", "red")
        console.print(
            Text.assemble(
                f"{graph or DEFAULT_GRAPH} ",
                verdict,
                f": {len(report.violations)} violation(s), {len(report.warnings)} warning(s)",
            ),
            highlight=False,
            soft_wrap=True,
        )
        if report.passes > 1:
            console.print(
                f"checked in {report.passes} parts, {report.passes - report.checked} of them from the cache",
                style="dim",
                highlight=False,
            )
    if not report.conforms:
        sys.exit(1)


# -- queries ---------------------------------------------------------------------------------

# where a command reads the graph: a file, or an endpoint (the queries, profile, timeline)
SOURCE_OPTIONS = [
    click.option(
        "--graph",
        "graph",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"Query this graph file [default: {DEFAULT_GRAPH}, as 'cyberkg build' writes it].",
    ),
    click.option(
        "--endpoint",
        metavar="URL",
        default=None,
        help="Query this SPARQL endpoint instead (a server's base URL or its query URL). "
        "Credentials come from CYBERKG_SPARQL_USER and CYBERKG_SPARQL_PASSWORD.",
    ),
    click.option(
        "--timeout",
        type=SECONDS,
        default=30.0,
        show_default=True,
        help="Seconds to wait for an endpoint's answer.",
    ),
]
ENGINE_OPTIONS = SOURCE_OPTIONS + [
    click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
        default="table",
        show_default=True,
        help="table for people; csv, tsv, json and xml are the W3C SPARQL 1.1 results formats.",
    ),
]


def engine_options(function):
    for option in reversed(ENGINE_OPTIONS):
        function = option(function)
    return function


def source_options(function):
    for option in reversed(SOURCE_OPTIONS):
        function = option(function)
    return function


def open_engine(graph: Path | None, endpoint: str | None, timeout: float):
    from kg.query.engines import LocalEngine, RemoteEngine

    if graph is not None and endpoint is not None:
        raise click.UsageError("give --graph or --endpoint, not both")
    if endpoint is not None:
        return RemoteEngine(endpoint, timeout=timeout)
    return LocalEngine(graph or DEFAULT_GRAPH)


def print_results(results, fmt: str, base: str) -> None:
    from kg.namespaces import PREFIXES
    from kg.query.results import short

    if results.boolean is not None and fmt not in ("json", "xml"):
        click.echo("true" if results.boolean else "false")
    elif fmt != "table":
        data = results.serialize(fmt)
        click.echo(data + (b"" if data.endswith(b"\n") else b"\n"), nl=False)
    else:
        namespaces = sorted([("id", base)] + [(p, str(n)) for p, n in PREFIXES.items()], key=lambda x: -len(x[1]))
        # a person reads labels: an IRI column whose label column is there is left out of the table
        shown = [v for v in results.variables if f"{v}Label" not in results.variables]
        console = new_console()
        if not console.is_terminal:
            console = new_console(width=max(console.width, 200))  # piped: a file or a pager, wider than a terminal
        table = Table(show_lines=False)
        for variable in shown:
            table.add_column(variable, overflow="fold")
        for row in results.rows:
            table.add_row(*(Text(short(row.get(v), namespaces, 70)) for v in shown))
        console.print(table)
        hidden = [v for v in results.variables if v not in shown]
        note = f" (columns {', '.join(hidden)} are in --format csv, tsv or json)" if hidden else ""
        console.print(f"{len(results.rows)} row(s){note}", highlight=False)
        partial = [row for row in results.rows if "coverage" in row and row["coverage"].value == "partial"]
        if partial:
            tables = sorted({short(row.get("sourceLabel") or row.get("source"), namespaces, 70) for row in partial})
            console.print(
                styled(
                    "note",
                    "yellow",
                    f" {len(partial)} row(s) come from tables that list only some States ({'; '.join(tables)}): "
                    "a State missing there is not known here, not a State that did not act",
                ),
                highlight=False,
                soft_wrap=True,
            )


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def queries_command(fmt: str) -> None:
    """List the canned SPARQL queries, their parameters and an example.

    The queries are the .rq files in queries/: each runs unchanged on any SPARQL
    endpoint that holds the graph.
    """
    import json

    from kg.query.catalogue import load_catalogue

    catalogue = load_catalogue()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "name": q.name,
                        "title": q.title,
                        "description": q.description,
                        "example": q.example,
                        "parameters": [
                            {
                                "name": p.name,
                                "type": p.type,
                                "required": p.required,
                                "default": p.default,
                                "help": p.help,
                            }
                            for p in q.parameters
                        ],
                    }
                    for q in catalogue.values()
                ],
                indent=2,
            )
        )
        return
    console = new_console()
    for q in catalogue.values():
        console.print(styled(q.name, "bold", f": {q.title}"))
        console.print(f"  {q.description}", highlight=False, soft_wrap=True)
        for p in q.parameters:
            need = "required" if p.required else f"optional, default {p.default}" if p.default else "optional"
            console.print(f"  --param {p.name}=...  ({p.type}, {need}) {p.help}", highlight=False, soft_wrap=True)
        console.print(f"  e.g. {q.example}", highlight=False, soft_wrap=True)


@cli.command("query")
@click.argument("name")
@click.option(
    "--param", "params", multiple=True, metavar="KEY=VALUE", help="A parameter of the query (repeat for several)."
)
@engine_options
@click.pass_context
def query_command(
    ctx: click.Context,
    name: str,
    params: tuple[str, ...],
    graph: Path | None,
    endpoint: str | None,
    timeout: float,
    fmt: str,
) -> None:
    """Run a canned query, on the built graph or a SPARQL endpoint.

    \b
    Parameters are given as --param KEY=VALUE; a node may be named by IRI,
    prefixed name (id:state/FRA) or by a name the graph holds (a label,
    alias, symbol or ISO code): "Budapest Convention", A/RES/74/247, VNM.
    Values are bound as RDF terms, never pasted into the query text.

    \b
    Examples:
      cyberkg query who-supported --param instrument="Budapest Convention"
      cyberkg query votes --param resolution=A/RES/74/247 --format csv
      cyberkg query speakers --endpoint http://localhost:7878
    """
    from kg.query.catalogue import canned
    from kg.query.params import NameResolver, bind, parse_pairs

    query = canned(name)
    raw = parse_pairs(params)
    for key in raw:
        query.parameter(key)
    engine = open_engine(graph, endpoint, timeout)
    bindings = bind(query, raw, NameResolver(engine, ctx.obj["base"]))
    print_results(engine.select(query.text, bindings), fmt, ctx.obj["base"])


@cli.command("sparql")
@click.argument("query")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind ?KEY to VALUE (an IRI, prefixed name or name the graph holds; quote a string as '\"text\"').",
)
@engine_options
@click.pass_context
def sparql_command(
    ctx: click.Context,
    query: str,
    params: tuple[str, ...],
    graph: Path | None,
    endpoint: str | None,
    timeout: float,
    fmt: str,
) -> None:
    """Run an ad-hoc SPARQL SELECT or ASK query, given as text or as a .rq file.

    \b
    The graph's named graphs are queried as one (their union is the default
    graph). Options are those of 'cyberkg query'.

    \b
    Examples:
      cyberkg sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      cyberkg sparql my-question.rq --format json
      cyberkg sparql 'SELECT ?label WHERE { ?x rdfs:label ?label }' --param x=VNM
    """
    from kg.query.params import NameResolver, ad_hoc_bindings, ad_hoc_query

    text = ad_hoc_query(query)
    engine = open_engine(graph, endpoint, timeout)
    bindings = ad_hoc_bindings(params, NameResolver(engine, ctx.obj["base"]))
    print_results(engine.select(text, bindings), fmt, ctx.obj["base"])


@cli.command("profile")
@click.argument("name")
@source_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="md: Markdown to paste into a brief; html: a page that prints well; json: for scripts.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here [default: print]."
)
@click.pass_context
def profile_command(
    ctx: click.Context,
    name: str,
    graph: Path | None,
    endpoint: str | None,
    timeout: float,
    fmt: str,
    output: Path | None,
) -> None:
    """What the graph holds on one actor or instrument, with its sources.

    \b
    NAME is any name, symbol or label the graph holds ("Russian Federation",
    "Group of 77 and China", "Budapest Convention", "A/RES/74/247"), or an IRI.
    For a State, group or organization: what it said, where and when (each
    quote with its document and paragraph), how it voted and on what the
    resolution did, what it signed or ratified (with what a partial table's
    missing row means), its roles at meetings, its groups. For an instrument:
    who supported, opposed or set conditions, by basis, by regional group and
    year, with the same sources.

    \b
    Examples:
      cyberkg profile "Russian Federation"
      cyberkg profile "new global legal instrument on cybercrime" --format html -o profile.html
    """
    from kg.query.profile import profile, to_html, to_json, to_markdown

    found = profile(open_engine(graph, endpoint, timeout), name, ctx.obj["base"])
    text = {"md": to_markdown, "html": to_html, "json": to_json}[fmt](found)
    if output is None:
        click.echo(text, nl=False)
        return
    from kg.graphio import atomic_write

    with atomic_write(output) as stream:
        stream.write(text)
    click.echo(f"wrote {output}")


@cli.command("timeline")
@source_options
@click.option(
    "--picture",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also draw the timeline here (.png or .svg).",
)
def timeline_command(graph: Path | None, endpoint: str | None, timeout: float, picture: Path | None) -> None:
    """The whole process in order, step by step.

    \b
    Every dated step the graph holds: the Expert Group meetings, the
    resolutions (73/187, 74/247, 75/282, 79/243, ...) with their recorded
    votes, the Ad Hoc Committee sessions, the General Debate sessions that
    were read, and the openings for signature (Budapest 2001, Hanoi 2025),
    with how many named and anonymous positions each meeting holds and how
    many treaty actions are on record. The same rows come from 'cyberkg
    query timeline' (csv, json); --picture draws them.

    \b
    Examples:
      cyberkg timeline
      cyberkg timeline --picture out/timeline.svg
    """
    from kg.draw.timeline import render, steps

    if picture is not None and picture.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"--picture {picture}: expected a .png or .svg file")
    found = steps(open_engine(graph, endpoint, timeout))
    console = new_console()
    if not console.is_terminal:
        console = new_console(width=max(console.width, 160))
    table = Table(title=f"cyberkg timeline: {len(found)} steps")
    for heading in ("date", "step", "what", "on record"):
        table.add_column(heading, overflow="fold")
    for step in found:
        table.add_row(step.day, step.kind, Text(step.label), step.what)
    console.print(table)
    if picture is not None:
        from kg.graphio import atomic_write

        with atomic_write(picture, "wb", encoding=None) as stream:
            stream.write(render(found, picture.suffix.lower().lstrip(".")))
        console.print(f"wrote {picture}", highlight=False, soft_wrap=True)


@cli.command("publish")
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="The server's Graph Store URL, used as given: Oxigraph http://host:7878/store, "
    "Virtuoso http://host:8890/sparql-graph-crud-auth, Fuseki http://host:3030/DATASET/data.",
)
@click.option(
    "--graph",
    "graph",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"The graph file to upload [default: {DEFAULT_GRAPH}].",
)
@click.option(
    "--bulk",
    is_flag=True,
    help="Oxigraph: empty the file's graphs, then load them all in one request with the "
    "server's bulk loader (several times faster; not atomic: a failure leaves them partly loaded).",
)
@click.option(
    "--remove-stale",
    "stale_from",
    metavar="QUERY_URL",
    default=None,
    help="After uploading, delete the server's graphs under the file's graph namespace "
    "({base}graph/) that the file no longer has, listed from this SPARQL query URL.",
)
@click.option("--timeout", type=SECONDS, default=60.0, show_default=True, help="Seconds per request, in all.")
def publish_command(endpoint: str, graph: Path | None, bulk: bool, stale_from: str | None, timeout: float) -> None:
    """Upload the graph to a SPARQL server with the Graph Store HTTP Protocol.

    \b
    Each named graph (one per source document, the reference data, the
    vocabulary) replaces its previous version whole (HTTP PUT), so a failed
    upload leaves the previous version of that graph in place, and the error
    says which graphs were replaced and which not; running the same command
    again is the retry. Credentials come from CYBERKG_SPARQL_USER and
    CYBERKG_SPARQL_PASSWORD, sent as HTTP Basic, or as Digest with
    CYBERKG_SPARQL_AUTH=digest (Virtuoso's -auth endpoints).

    \b
    Examples:
      oxigraph serve --location data --bind 127.0.0.1:7878 &
      cyberkg publish --endpoint http://127.0.0.1:7878/store --bulk
      cyberkg query who-supported --endpoint http://127.0.0.1:7878/query
      CYBERKG_SPARQL_USER=dba CYBERKG_SPARQL_PASSWORD=... CYBERKG_SPARQL_AUTH=digest \\
        cyberkg publish --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth \\
        --remove-stale http://127.0.0.1:8890/sparql
    """
    from kg.publish.graph_store import publish

    source = graph or DEFAULT_GRAPH
    graphs = load_graph_file(source)
    console = new_console()
    if bulk:
        console.print(f"loading {len(graphs)} graph(s) in one request", highlight=False, soft_wrap=True)

    def said(name, count) -> None:
        console.print(
            f"  {name.value if name else 'default graph'}: {count} statements", highlight=False, soft_wrap=True
        )

    done = publish(
        graphs, endpoint, timeout=timeout, source=str(source), bulk=bulk, stale_from=stale_from, progress=said
    )
    for name in done.removed:
        console.print(f"  {name.value}: deleted (no longer in {source})", highlight=False, soft_wrap=True)
    statements = sum(count for _, count in done.replaced)
    removed = f", deleted {len(done.removed)} stale graph(s)" if stale_from is not None else ""
    console.print(
        f"published {len(done.replaced)} graph(s), {statements} statements, to {endpoint}{removed}",
        highlight=False,
        soft_wrap=True,
    )


# -- export ------------------------------------------------------------------------------------


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "nt", "nq", "trig", "jsonld", "rdfxml", "all"]),
    default=None,
    help="The format [default: from the extension of -o, else ttl]; 'all' writes every format into the folder -o names.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write [default: out/cyberkg.FORMAT, or the folder out/ for --format all].",
)
@click.option(
    "--graph",
    "graph",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"The graph to export [default: {DEFAULT_GRAPH}].",
)
@click.option(
    "--endpoint-url", metavar="URL", default=None, help="The public SPARQL endpoint, for the dataset description."
)
@click.option(
    "--vocabulary-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the ontology, concept schemes, JSON-LD context, shapes and ontology documentation here, "
    "as a portal serves them at the ontology IRI.",
)
@click.option(
    "--context-url",
    metavar="URL",
    default=None,
    help="JSON-LD: name the context by this URL instead of embedding it, for a portal that serves "
    "ontology/context.jsonld (as --vocabulary-dir writes it) there [default: embedded, so the file reads offline].",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str | None,
    output: Path | None,
    graph: Path | None,
    endpoint_url: str | None,
    vocabulary_dir: Path | None,
    context_url: str | None,
) -> None:
    """Write the graph for linked-data portals, with its VoID and DCAT description.

    \b
    Formats: ttl (Turtle, grouped, readable prefixes), nt and nq (sorted
    N-Triples and N-Quads), trig (one named graph per source document, one for
    the reference data, one for the vocabulary, one for the description),
    jsonld (compact, with the context ontology/context.jsonld embedded, so it
    reads offline; --context-url names a published copy instead),
    rdfxml. The same graph always gives the same bytes. The dataset
    description (VoID and DCAT: licence, sources, coverage, counts per class,
    vocabularies, the Wikidata linkset) is part of the export and is also
    written on its own beside it (NAME.void.ttl). Writing is atomic.

    \b
    Examples:
      cyberkg export -o out/cyberkg.ttl
      cyberkg export --format jsonld
      cyberkg export -o site/cyberkg.trig --vocabulary-dir site/ontology
      cyberkg export -o site/cyberkg.jsonld --context-url https://example.org/ontology/context.jsonld
    """
    from kg.export import export_files, export_targets
    from kg.export.jsonld import check_context_url

    targets = export_targets(fmt, output)
    if context_url is not None:
        check_context_url(context_url)
        if "jsonld" not in targets:
            raise UsageError("--context-url: only the JSON-LD export has a context (--format jsonld or -o FILE.jsonld)")
    graphs = load_graph_file(graph or DEFAULT_GRAPH)
    console = new_console()
    for path, what in export_files(graphs, targets, ctx.obj["base"], endpoint_url, context_url=context_url):
        console.print(f"wrote {path} ({what})", highlight=False, soft_wrap=True)
    if vocabulary_dir is not None:
        from kg.export.site import write_vocabulary

        for path in write_vocabulary(vocabulary_dir):
            console.print(f"wrote {path}", highlight=False, soft_wrap=True)


# -- networks ----------------------------------------------------------------------------------


@cli.command("network")
@click.argument("kind", type=click.Choice(["positions", "alignment", "citations", "speakers"]))
@click.option(
    "--format",
    "formats",
    type=click.Choice(["graphml", "gexf", "cyjs", "csv", "png", "svg", "html"]),
    multiple=True,
    help="graphml and gexf for Gephi, cyjs for Cytoscape, csv for node and edge tables, png and svg for a "
    "picture with a legend, html for an interactive page that works offline. Repeat it to write several "
    "files from one build of the network [default: graphml].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write [default: out/KIND.FORMAT]. With several formats, the path without its suffix, "
    "to which each format adds its own; csv writes PATH.nodes.csv and PATH.edges.csv.",
)
@click.option(
    "--graph",
    "graph",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Build from this graph file [default: {DEFAULT_GRAPH}].",
)
@click.option("--endpoint", metavar="URL", default=None, help="Build from this SPARQL endpoint instead.")
@click.option(
    "--timeout",
    type=SECONDS,
    default=30.0,
    show_default=True,
    help="Seconds to wait for an endpoint.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="alignment: the least agreement index (share of shared recorded votes with the same option) that links two States.",
)
@click.option(
    "--basis",
    type=click.Choice(["statement", "vote", "treaty action"]),
    default=None,
    help="positions: keep only statements, votes or treaty actions.",
)
@click.option(
    "--stance",
    default=None,
    help="positions: keep only one stance (supports, proposes, opposes, criticises, conditions, yes, no, abstain).",
)
def network_command(
    kind: str,
    formats: tuple[str, ...],
    output: Path | None,
    graph: Path | None,
    endpoint: str | None,
    timeout: float,
    threshold: float,
    basis: str | None,
    stance: str | None,
) -> None:
    """Build a network of positions, alignment, citations or speakers.

    \b
    positions   actors and instruments, an edge per actor and instrument with
                its sign (support, opposition), how many statements, votes
                and treaty actions lie behind it, and their sources; anonymous
                collectives are marked actorKind=collective
    alignment   States linked by their agreement index on recorded votes
    citations   documents and the documents, resolutions and instruments they cite
    speakers    actors that spoke in the same report's statements lists

    \b
    Nodes carry degree, weighted degree, betweenness, a community (Louvain,
    seeded: the same graph gives the same communities) and, for States, the
    UN regional group. The networks are built from canned queries, so they
    come out the same from a local graph or an endpoint.

    \b
    The html page is one self-contained file (Bokeh, inlined; no network
    needed): zoom and pan, search, filters by stance, basis and meeting or
    vote, colours by kind, community, regional group or net stance, and a
    side panel with the quotes and source passages behind a tapped edge.

    \b
    Examples:
      cyberkg network positions --format gexf -o out/positions.gexf
      cyberkg network alignment --threshold 0.8 --format cyjs
      cyberkg network positions --basis statement --format csv
      cyberkg network alignment --format svg -o out/alignment.svg
      cyberkg network positions --format gexf --format png -o out/positions
      cyberkg network positions --format html -o out/positions.html
    """
    from kg.draw.files import write_network
    from kg.draw.networks import build_network, counted_votes

    engine = open_engine(graph, endpoint, timeout)
    network = build_network(kind, engine, threshold, basis, stance)
    formats = tuple(dict.fromkeys(formats)) or ("graphml",)
    if output is None:
        paths = {fmt: Path("out") / f"{kind}.{fmt}" for fmt in formats}
    elif len(formats) == 1:
        paths = {formats[0]: output}
    else:
        paths = {fmt: output.with_name(f"{output.name}.{fmt}") for fmt in formats}
    written = [path for fmt in formats for path in write_network(network, fmt, paths[fmt])]
    console = new_console()
    console.print(
        f"{kind}: {network.number_of_nodes()} nodes, {network.number_of_edges()} edges, "
        f"{network.graph.get('communities', 0)} communities",
        highlight=False,
    )
    if kind == "alignment":
        console.print(f"agreement index on {counted_votes(network)}", highlight=False, soft_wrap=True, markup=False)
    top = sorted(
        network.nodes(data=True),
        key=lambda item: (-item[1]["weightedDegree"], -item[1]["betweenness"], item[1].get("label", "")),
    )[:5]
    console.print(
        "most connected: " + "; ".join(f"{d.get('label', n)} ({d['weightedDegree']:g})" for n, d in top),
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    for path in written:
        console.print(f"wrote {path}", highlight=False, soft_wrap=True)


# -- reference ---------------------------------------------------------------------------


@cli.command("reference")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the reference graph here (format from the extension: .ttl, .nt, .jsonld, .rdf).",
)
@click.pass_context
def reference_command(ctx: click.Context, output: Path | None) -> None:
    """Load the reference data and show what it holds and where it comes from.

    \b
    The reference layer is the folder reference/: the States with their codes
    and names, groups and organizations with their members, instruments and
    resolutions, meetings, treaty actions and recorded votes. Each table is a
    ckg:SourceTable in the graph with its sources, coverage and as-of date;
    partial tables are marked as such. `cyberkg build` loads the same data.

    \b
    Example:
      cyberkg reference
      cyberkg reference -o out/reference.ttl
    """
    from kg.graphio import write_dataset
    from kg.rdf import Statements, rdf_format
    from kg.reference import load_reference

    if output:
        rdf_format(output)  # refuse an unknown extension before loading anything
    data = load_reference(ctx.obj["base"])
    table = Table(title="cyberkg reference data", show_lines=False)
    table.add_column("file", overflow="fold")
    table.add_column("coverage")
    table.add_column("as of", no_wrap=True)
    table.add_column("facts", justify="right")
    for row in data.source_tables():
        coverage = row["coverage"]
        table.add_row(
            row["file"],
            Text(coverage, style="yellow") if coverage == "partial" else coverage,
            row["as_of"],
            str(row["facts"]),
        )
    console = new_console()
    console.print(table)
    console.print(
        f"{len(data.graph)} triples; {len(data.actors)} actor names and {len(data.instruments)} instrument names "
        "known to the matcher."
    )
    for diagnostic in data.diagnostics:
        console.print(styled("warning", "yellow", f" {diagnostic}"), soft_wrap=True)
    if output:
        write_dataset(Statements.from_rdflib(data.graph), output)
        console.print(f"wrote {output}", highlight=False, soft_wrap=True)


# -- entry point ------------------------------------------------------------------------


def _fail(message: str, code: int) -> None:
    click.echo(f"cyberkg: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the command line; user errors become one line on stderr and an exit code."""
    try:
        code = cli.main(args=argv, prog_name="cyberkg", standalone_mode=False)
    except click.UsageError as error:
        where = error.ctx.command_path if error.ctx else "cyberkg"
        _fail(f"{error.format_message()} (see '{where} --help')", error.exit_code)
    except click.ClickException as error:
        _fail(error.format_message(), error.exit_code)
    except CyberkgError as error:
        _fail(str(error), error.exit_code)
    except click.Abort:
        _fail("aborted", 1)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
