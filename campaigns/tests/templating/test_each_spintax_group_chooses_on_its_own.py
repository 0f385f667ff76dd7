from campaigns.templating import render


def test_each_spintax_group_chooses_on_its_own():
    renders = [render("{a|b} {a|b}", {}, seed=str(seed)) for seed in range(50)]
    assert {"a a", "b b"} & set(renders)
    assert {"a b", "b a"} & set(renders)
