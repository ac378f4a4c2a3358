"""How results are shown: tables in the paper's layout, the sentences and banners of the pages,
plots and maps. Formatting only: nothing here estimates or decides anything.
"""
