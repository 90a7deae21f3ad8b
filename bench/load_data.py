"""What bench.load's simulated users upload and ask: small generated business documents (Markdown
notes and one-page PDFs with a text layer), each distinct, and questions about their facts.

Every document states the same kinds of facts (payment terms, interest, shipping, returns, office
hours) with values drawn from the run's random generator, so a question always has an answer in
the document it is asked about. A "new" question names an order number, so no two are alike (the
answer cache misses); a "cached" question is one of a few asked of the document during set-up,
asked again word for word (the answer cache hits).
"""

from __future__ import annotations

import random

from tests.text_pdf_factory import text_page_pdf

CITIES = ["Tallinn", "Riga", "Vilnius", "Helsinki", "Gdansk", "Hamburg", "Oslo", "Turku"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
QUESTIONS = [
    "When are invoices due?",
    "What interest does late payment carry?",
    "Where does the supplier ship from?",
    "On which day are orders shipped?",
    "How long are returns accepted?",
    "When does the office open?",
]


def facts(rng: random.Random) -> list[str]:
    return [
        f"Invoices are due within {rng.choice([14, 21, 30, 45, 60])} days of delivery.",
        f"Late payment carries interest of {rng.choice([4, 6, 8, 10, 12])}% a year.",
        f"The supplier ships from its warehouse in {rng.choice(CITIES)}.",
        f"Orders are shipped every {rng.choice(DAYS)}.",
        f"Returns are accepted for {rng.choice([7, 14, 28, 30])} days after delivery.",
        f"The office opens at {rng.choice([7, 8, 9, 10])} am on weekdays.",
    ]


def document(rng: random.Random, serial: int) -> tuple[str, bytes]:
    """A distinct small document: a Markdown note (three in four) or a one-page PDF."""
    lines = facts(rng)
    reference = f"Agreement reference {serial}-{rng.randrange(10**9)}."
    if rng.random() < 0.75:
        body = f"# Supply terms {serial}\n\n{reference}\n\n" + "\n\n".join(
            f"## Clause {n + 1}\n{line}" for n, line in enumerate(lines))
        return f"terms-{serial}.md", body.encode()
    return f"terms-{serial}.pdf", text_page_pdf(612, 792, [f"Supply terms {serial}", reference, *lines])


def new_question(rng: random.Random, serial: int) -> str:
    """A question worded as no other of the run (order ``serial``): never in the answer cache."""
    return f"{rng.choice(QUESTIONS)[:-1]} for order {serial}?"


def cached_questions() -> list[str]:
    """The questions asked of every seed document during set-up, then again under load."""
    return QUESTIONS[:3]
