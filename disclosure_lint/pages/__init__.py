"""Findings on PDF pages: the geometry shared by the page pictures of the review report and the
annotations of the checked copy."""
