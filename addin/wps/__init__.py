"""The WPS add-in (WPS加载项): ribbon.xml, index.html, main.js, client.js and icons, served by
`budgetbook serve` at /wps/; `install.py` writes the jsaddons entry that points WPS there."""
