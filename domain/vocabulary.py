"""Words a question uses for what documents name otherwise: business and contract vocabulary in
English and Russian ("revenue" for "net sales", "buyback" for "repurchase", "R&D" for "research
and development", "penalty" for "штраф"). Each entry is a pattern over the question and the
phrases a document may use instead; the retriever adds them to its lexical query and the
keyless answerer accepts any of them where the question's own words are missing."""

from __future__ import annotations

import re

_ENTRIES: list[tuple[str, tuple[str, ...]]] = [
    (r"\brevenues?\b|\btop line\b", ("net sales", "sales", "revenue")),
    (r"\bsales\b|\bturnover\b", ("revenue", "net sales")),
    (r"\bprofits?\b|\bbottom line\b", ("net income", "income", "earnings")),
    (r"\bearnings\b", ("net income", "income")),
    (r"\bloss(es)?\b", ("net loss", "income")),
    (r"\bbuy ?backs?\b|\bbought back\b|\bbuy(ing)? back\b|\brepurchas\w*", ("repurchase", "repurchased", "buyback")),
    (r"\br ?& ?d\b|\br and d\b", ("research and development",)),
    (r"\bsg ?& ?a\b", ("selling general and administrative",)),
    (r"\bcapex\b|\bcapital expenditures?\b|\bcapital spending\b",
     ("acquisition of property plant and equipment", "purchases of property and equipment")),
    (r"\bcash on hand\b|\bcash pile\b|\bcash position\b", ("cash and cash equivalents",)),
    (r"\beps\b|\bper[- ]share earnings\b", ("earnings per share", "net income per share")),
    (r"\bopex\b|\boperating costs\b", ("operating expenses",)),
    (r"\bcogs\b|\bcost of goods( sold)?\b", ("cost of sales", "cost of revenue")),
    (r"\bgross profit\b", ("gross margin",)),
    (r"\bgross margin\b", ("gross profit",)),
    (r"\bheadcount\b|\bstaff\b|\bworkforce\b|\bpeople employed\b", ("employees",)),
    (r"\bpayouts?\b|\bdividends?\b", ("dividend", "dividends declared")),
    (r"\bdebt\b|\bborrowings?\b", ("term debt", "notes", "commercial paper")),
    (r"\bstock[- ]based comp\w*|\bequity comp\w*|\bshare[- ]based comp\w*", ("share-based compensation",
                                                                              "stock-based compensation")),
    (r"\bshares? outstanding\b|\bshare count\b", ("shares of common stock outstanding", "issued and outstanding")),
    (r"\blawsuits?\b|\blitigation\b|\bsued\b", ("legal proceedings", "complaint", "case")),
    (r"\bprice\b|\bcost\b", ("цена", "стоимость")),
    (r"\bvat\b", ("ндс",)),
    (r"\bндс\b", ("vat", "налог на добавленную стоимость")),
    (r"\bpenalt\w*|\bfines?\b", ("штраф", "пеня", "неустойка")),
    (r"\bwarrant\w*|\bguarantee\b", ("гарантия", "гарантийный срок")),
    (r"\bpayments?\b|\bpay\b|\bpaid\b", ("оплата", "платеж")),
    (r"\bdeadline\b|\bterm\b|\bdue\b", ("срок",)),
    (r"\bdeliver\w*", ("поставка", "доставка")),
    (r"\bcontract\b|\bagreement\b", ("контракт", "договор")),
    (r"\bcourt\b|\bdisputes?\b", ("суд", "споры", "арбитражный суд")),
    (r"\bsupplier\b|\bcontractor\b", ("поставщик", "подрядчик", "исполнитель")),
    (r"\bcustomer\b|\bbuyer\b|\bclient\b", ("заказчик", "покупатель")),
    (r"\bsecurity\b|\bcollateral\b", ("обеспечение",)),
    (r"\bterminat\w*|\bcancel\w*", ("расторжение", "отказ от исполнения")),
    (r"\bdelay\w*|\blate\b|\boverdue\b", ("просрочка", "delay")),
    (r"\bfail\w* to (perform|fulfil\w*|comply)|\bimproper\w*|\bnon-?performance\b|\bbreach\w*",
     ("ненадлежащее исполнение", "неисполнение", "breach")),
    (r"\bworks\b", ("работы", "выполненные работы")),
    (r"\bprocure\w*|\btender\w*|\bpurchas\w*", ("закупка", "аукцион", "procurement")),
    (r"штраф\w*|пен[ияеь]\w*|неустойк\w*", ("штраф", "пеня", "неустойка")),
    (r"цен[аыеу]\w*|стоимост\w*", ("цена", "стоимость")),
    (r"оплат\w*|оплач\w*|платеж\w*|плат[ия]т\w*", ("оплата", "платеж", "расчет")),
    (r"гаранти\w*", ("гарантия", "гарантийный срок")),
    (r"\bсуд\w*|спор\w*", ("суд", "споры", "арбитражный суд")),
    (r"расторж\w*|прекращ\w*", ("расторжение", "прекращение", "отказ от исполнения")),
    (r"задерж\w*|просроч\w*|опозд\w*", ("просрочка", "задержка")),
    (r"закупк\w*|тендер\w*|торг(и|ов|ах)\b", ("закупка", "аукцион", "размещение заказа")),
    (r"обеспечени\w*|залог\w*", ("обеспечение",)),
    (r"поставщик\w*|подрядчик\w*|исполнител\w*", ("поставщик", "подрядчик", "исполнитель")),
    (r"заказчик\w*|покупател\w*", ("заказчик", "покупатель")),
    (r"выручк\w*|доход\w*", ("выручка", "доходы", "revenue", "net sales")),
    (r"прибыл\w*", ("прибыль", "net income")),
]
_COMPILED = [(re.compile(pattern, re.IGNORECASE), phrases) for pattern, phrases in _ENTRIES]


def alternatives(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """For each vocabulary entry the question uses: the words it used, and the phrases a document
    may use for them instead."""
    found = []
    for pattern, phrases in _COMPILED:
        match = pattern.search(question)
        if match:
            found.append((match.group(0), phrases))
    return found
