"""The indicator catalogue: what each number on the dashboard is, how it is counted, its target.

`indicators` holds one entry per indicator shown anywhere (name, definition, numerator,
denominator, unit, source register, period type, direction, minimum n, colour);
`targets` reads the targets and norms register (data/reference/targets.csv), where every
value carries its source; `registers` names each register as a source line does;
`glossary` explains the terms users ask about (D/S, IK 95%, SKDN).
Pure: no streamlit, no warehouse.
"""
