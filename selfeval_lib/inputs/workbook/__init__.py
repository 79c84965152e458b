"""The data contract as one Excel workbook per unit: its layout, messy cells cleaned, reading it
(read.py) and writing its blank or filled template (template.py)."""
