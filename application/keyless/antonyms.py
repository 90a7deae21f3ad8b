"""An antonym swapped: the question asks about one word of a pair of opposites and the sentence
that best answers it says the other instead ("Which city has the largest port?" against "...
has the smallest port"). SQuAD 2.0 writes many of its unanswerable questions this way, against
a sentence that otherwise matches them word for word, so application.keyless.answerable treats
such a sentence as not answering.

Common English opposites, written once as words and stemmed by the caller's analyzer; a pair
counts only when the sentence lacks the question's word and the question lacks the sentence's.
Russian questions get no pairs (none written yet). Measured on SQuAD 2.0 (docs/answers.md)."""

from __future__ import annotations

from collections.abc import Callable

Terms = Callable[[str], set[str]]

_PAIRS = (
    "increase decrease|increase reduce|increase drop|rise fall|rise decline|more less|more fewer|larger smaller|"
    "largest smallest|bigger smaller|biggest smallest|higher lower|highest lowest|first last|earliest latest|"
    "early late|before after|win lose|won lost|victory defeat|north south|east west|northern southern|"
    "eastern western|maximum minimum|most least|major minor|strong weak|strongest weakest|success failure|"
    "succeed fail|accept reject|allow prohibit|allow forbid|permit ban|legal illegal|public private|"
    "oldest newest|ancient modern|long short|longest shortest|begin end|start end|start finish|buy sell|"
    "bought sold|import export|positive negative|internal external|inner outer|upper lower|top bottom|"
    "above below|inside outside|include exclude|gain loss|profit loss|rich poor|wealthy poor|hot cold|"
    "warm cool|fast slow|high low|deep shallow|wide narrow|young old|male female|man woman|men women|"
    "king queen|father mother|son daughter|brother sister|birth death|born died|create destroy|"
    "built destroyed|attack defend|enter leave|arrive depart|add remove|join leave|push pull|same different|"
    "common rare|natural artificial|agree disagree|support oppose|true false|always never|everyone nobody|"
    "all none|many few|best worst|better worse|hard soft|full empty|cheap expensive|upstream downstream|"
    "rural urban|primary secondary|direct indirect|past future|official unofficial"
)


def _stemmed(terms: Terms) -> list[tuple[frozenset[str], frozenset[str]]]:
    pairs = []
    for pair in _PAIRS.split("|"):
        first, second = (frozenset(terms(word)) for word in pair.split())
        if first and second and not first & second:
            pairs += [(first, second), (second, first)]
    return pairs


def swapped(question: set[str] | frozenset[str], sentence: set[str] | frozenset[str], terms: Terms) -> bool:
    """The question's terms hold one word of a pair that ``sentence``'s terms lack, and the
    sentence holds its opposite, which the question lacks."""
    return any(asked <= question and not asked <= sentence and said <= sentence and not said <= question
               for asked, said in _stemmed(terms))
