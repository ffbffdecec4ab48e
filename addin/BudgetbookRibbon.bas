Attribute VB_Name = "BudgetbookRibbon"
' The ribbon callback of the budgetbook add-in. The buttons are declared in
' workbook/buttons.py; addin/ribbon.py writes them into customUI14.xml, each
' with onAction="BudgetbookRibbon.RunButton" and its key in tag, so this one
' callback serves every button and never has to change when a button is added.
' Keep this file ASCII: VBA source is stored in codepage 1252.
Option Explicit

Public Sub RunButton(control As IRibbonControl)
    ' RunPython reads ActiveWorkbook.FullName, which fails when only the add-in
    ' is open; a blank workbook lets Python answer in Chinese instead of VBA
    ' stopping with a runtime error (and gives New Template a place to start).
    If ActiveWorkbook Is Nothing Then Workbooks.Add
    RunPython "import macros_py; macros_py.dispatch('" & control.Tag & "')"
End Sub
