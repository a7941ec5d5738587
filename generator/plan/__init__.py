"""The decided step between the IR and the templates: views of every generated module.

`plan_operations` and `plan_models` decide signatures, decorator arguments, header layers,
stub bodies, model fields and class headers, and report the spec warnings those decisions
raise; the templates only lay the views out.
"""
