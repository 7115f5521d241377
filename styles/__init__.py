"""The console's TCSS, one file per screen; a package only so that installs ship the files."""
