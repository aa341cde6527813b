"""监督员与会议 (SPEC O-1..O-4): 法治监督员, 联席会议, 案卷评查 and 执法人员 on one page of four tabs."""
