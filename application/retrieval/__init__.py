"""Finding the passages a question is answered from: index lookups, fusion, re-ranking, context assembly."""
