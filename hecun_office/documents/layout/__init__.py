"""The GB/T 9704-2012 page layout behind ``hecun_office.documents.gbt9704``: geometry, line breaking, items on the
line grid, pagination and painting onto a reportlab canvas."""
