import ScorebookCLI
Scorebook.main()
