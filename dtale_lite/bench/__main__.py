"""``python -m dtale_lite.bench``: see :mod:`.benchmark`."""
import sys

from .benchmark import main

sys.exit(main())
