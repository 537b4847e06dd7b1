"""A small PQF (YAZ's prefix query format) reader for the tests: `@and @attr 1=4 war peace` -> RPNQuery."""

from __future__ import annotations

import shlex

from kitab.protocols.z3950 import codec

_OPS = {"@and": "and", "@or": "or", "@not": "and-not", "@prox": "prox"}


def pqf(text: str) -> codec.RPNQuery:
    tokens = shlex.split(text)
    attribute_set = codec.BIB1_ATTRIBUTES
    if tokens and tokens[0] == "@attrset":
        attribute_set = {"bib-1": codec.BIB1_ATTRIBUTES}.get(tokens[1].lower(), tokens[1])
        tokens = tokens[2:]
    pos = 0

    def node() -> codec.RPN:
        nonlocal pos
        tok = tokens[pos]
        if tok in _OPS:
            pos += 1
            if tok == "@prox":
                pos += 6  # exclusion distance ordered relation which-code unit
            left = node()
            right = node()
            return codec.RPNOp(left, right, _OPS[tok], codec.Proximity() if tok == "@prox" else None)
        if tok == "@set":
            pos += 2
            return codec.ResultSetOperand(tokens[pos - 1])
        attrs: list[codec.Attribute] = []
        while tokens[pos] == "@attr":
            spec = tokens[pos + 1]
            pos += 2
            attr_set = None
            if "=" not in spec:
                attr_set, spec = spec, tokens[pos]
                pos += 1
            type_, value = spec.split("=", 1)
            val: int | codec.ComplexValue = (
                int(value) if value.lstrip("-").isdigit() else codec.ComplexValue((value,))
            )
            attrs.append(codec.Attribute(int(type_), val, attr_set))
        term = tokens[pos]
        pos += 1
        return codec.AttributesPlusTerm(tuple(attrs), codec.Term("general", term.encode("utf-8")))

    root = node()
    assert pos == len(tokens), f"trailing tokens in {text!r}"
    return codec.RPNQuery(attribute_set, root)
