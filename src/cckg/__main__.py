from cckg.cli import main

main()
