#!/usr/bin/env python
from hwallyu.__main__ import main

if __name__ == "__main__":
    main()
