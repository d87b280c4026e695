"""audio-edition: turn each issue of an HTML newsletter into a podcast episode."""

import os as _os

# One BLAS thread: the DSP's matrix products are small and run beside an ffmpeg encoder and
# synthesis workers; a BLAS pool busy-waiting on a second core tripled the meter's CPU time.
# Set before numpy is imported; a value the user set wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")

__version__ = "0.1.0"
