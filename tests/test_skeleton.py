from policylint.values import Tri, render, resource_sym, sym


def test_symbols_render_readably() -> None:
    value = (
        f"arn:{sym('AWS::Partition')}:cloudfront::x:distribution/{resource_sym('t.yaml#D', 'Id')}"
    )
    assert render(value) == "arn:${AWS::Partition}:cloudfront::x:distribution/${D.Id}"


def test_tri_logic() -> None:
    assert (Tri.TRUE & Tri.MAYBE) is Tri.MAYBE
    assert (Tri.FALSE & Tri.MAYBE) is Tri.FALSE
    assert (Tri.TRUE | Tri.MAYBE) is Tri.TRUE
    assert ~Tri.MAYBE is Tri.MAYBE
