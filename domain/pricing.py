"""What an answer cost: a price table per model (US dollars per million tokens) and the arithmetic.

A model is priced by its exact name, else by the longest known name it starts with (so
"gpt-4o-mini-2024-07-18" is priced as "gpt-4o-mini"), else it is free (the offline model, a
local server). Defaults are the providers' published list prices for standard (non-batch)
requests at the time of writing; override them with ASSISTANT_LLM_PRICES.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.frozen
class Price:
    input_per_million: float
    output_per_million: float

    def __attrs_post_init__(self) -> None:
        if self.input_per_million < 0 or self.output_per_million < 0:
            raise ValueError("prices cannot be negative")


DEFAULT_PRICES: dict[str, Price] = {
    "gemini-2.5-pro": Price(1.25, 10.0),
    "gemini-2.5-flash": Price(0.30, 2.50),
    "gemini-2.5-flash-lite": Price(0.10, 0.40),
    "gemini-2.0-flash": Price(0.10, 0.40),
    "gpt-4o": Price(2.50, 10.0),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
}


@attrs.frozen
class PriceTable:
    prices: Mapping[str, Price] = attrs.field(factory=lambda: dict(DEFAULT_PRICES))

    @classmethod
    def with_overrides(cls, overrides: Mapping[str, Any] | None) -> PriceTable:
        """Defaults updated from ``{"model": {"input": 0.3, "output": 2.5}}`` (dollars per million tokens)."""
        prices = dict(DEFAULT_PRICES)
        for model, value in (overrides or {}).items():
            if isinstance(value, Mapping):
                prices[model] = Price(float(value.get("input", 0)), float(value.get("output", 0)))
            else:
                input_price, output_price = value
                prices[model] = Price(float(input_price), float(output_price))
        return cls(prices)

    def price(self, model: str) -> Price:
        if model in self.prices:
            return self.prices[model]
        prefixes = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(prefixes, key=len)] if prefixes else Price(0.0, 0.0)

    def cost(self, model: str, tokens_in: int, tokens_out: int) -> float:
        """US dollars, rounded to a millionth of a cent's precision (6 decimal places)."""
        price = self.price(model)
        return round((tokens_in * price.input_per_million + tokens_out * price.output_per_million) / 1e6, 6)
