"""``assistant reindex``: build the search index of documents processed before it existed."""

from __future__ import annotations

import typer

from entrypoints.cli.output import JSON_OPTION, emit_json
from entrypoints.cli.state import container


def reindex(
    everything: bool = typer.Option(False, "--all", help="Index every processed document again, not only those "
                                                           "not yet indexed by this version's analyzer and model."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Index processed documents for search (those ingested before the index, or by another model)."""
    from config.container import warm_embedder

    c = container()
    warm_embedder(c)
    indexed, examined = c.reindex_documents()(everything=everything)
    if json_out:
        emit_json({"indexed": indexed, "examined": examined})
        return
    typer.echo(f"{indexed} of {examined} processed document(s) indexed")
