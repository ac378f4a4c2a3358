"""yrd_book: the machinery that builds the book, kept apart from the analysis package ``yrd``.

Nothing here computes a number of the paper. :mod:`~yrd_book.execute` runs the notebooks side by
side into the build's execution cache, :mod:`~yrd_book.freshness` keeps that cache from serving
outputs computed from older code or data, :mod:`~yrd_book.sphinxext` is the book's Sphinx
extension, :mod:`~yrd_book.pdf` and :mod:`~yrd_book.browser` print and check the rendered pages,
:mod:`~yrd_book.bench` times the build and :mod:`~yrd_book.environment` lists what it ran on.
"""

from yrd import ROOT

__all__ = ["ROOT"]
