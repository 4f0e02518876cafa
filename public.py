"""Entry point of the public site: `streamlit run public.py` serves the citizens' page and nothing else,
whatever DASHBOARD_MODE says (ui/public_site.py). `dashboard.py` with DASHBOARD_MODE=public serves the same."""

from monitoring import logs
from ui import public_site

logs.configure_logging()
public_site.run()
