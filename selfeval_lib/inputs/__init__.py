"""Stage 2, the data contract: the schema, params files, data folders and workbooks read through
one validation, the loaded unit (unit.py), workbook import and fictional (synthetic) units."""
