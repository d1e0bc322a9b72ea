#!/usr/bin/env python3
"""Baseline for the read_pdf bench: Python pdfplumber's extract_tables on the same PDF.

Usage: python3 pdfplumber_baseline.py [path.pdf] [iterations]
Prints the mean time per document (open + extract_tables on every page + page text).
Needs: pip install pdfplumber
"""

import sys
import time

import pdfplumber

path = sys.argv[1] if len(sys.argv) > 1 else "../../fixtures/corpus/dev/raw/hongze-2024.pdf"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20


def once():
    tables = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.extract_text()
    return tables


once()  # warm-up
start = time.perf_counter()
for _ in range(n):
    found = once()
elapsed = (time.perf_counter() - start) / n
print(f"pdfplumber {pdfplumber.__version__}: {path}: {found} tables, {elapsed * 1000:.1f} ms/document ({1 / elapsed:.1f} documents/s)")
