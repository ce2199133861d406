

def test_the_heaviest_terms_are_ordered_by_weight_then_by_term() -> None:
    """``heaviest`` picks what sorting by (-weight, term) picks, ties included."""
    import random

    from newsdesk_plugins.index.stories import heaviest

    rng = random.Random(4)
    weights = {f"t{i}": rng.choice([0.5, 1.0, 1.5, rng.random()]) for i in range(300)}
    for limit in (1, 40, 80, 400):
        assert heaviest(weights, limit) == sorted(weights.items(),
                                                  key=lambda kv: (-kv[1], kv[0]))[:limit]
