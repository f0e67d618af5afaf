"""The rapat pack: the meeting screens built from the queries, and the PDF/PPTX slides made from them."""
