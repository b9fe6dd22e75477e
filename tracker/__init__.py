"""Track rumours and claims against the evidence that later confirms or refutes them."""

__version__ = "0.1.0"
