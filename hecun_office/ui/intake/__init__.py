"""M-5: importing hotline / complaint-platform work orders from .xlsx exports."""
