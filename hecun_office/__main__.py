from hecun_office.cli import main

raise SystemExit(main())
