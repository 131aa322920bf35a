"""The demonstration study and its notebook, built through the real pipeline on synthetic data.

:func:`run_demo` simulates the five populations' two waves, delivers them as pollsters do, imports,
validates, weights and estimates them, then writes the « Alliance & Performance » notebook as
HTML, PDF and XLSX with its provenance. Every output says the data are synthetic.
"""

from alliance.demo.outputs import DemoOutputs, run_demo

__all__ = ["DemoOutputs", "run_demo"]
