"""Reports: documents of chapters, tables and charts, written as HTML, PDF and XLSX (no Django)."""
