"""hecun-office: 乡镇司法所行政执法协调监督工作台."""

__version__ = "0.1.0"
