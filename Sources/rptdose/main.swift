import RPTCommandLine

RPTDoseCommand.main()
