"""Chart and table export: press-ready PNG/SVG (kaleido, or matplotlib without a browser) and CSV/XLSX tables."""
