"""Steps: typed changes to a shown frame (build, convert, clean and edit columns; drop rows),
applied to the user's frame without changing it, undoable, and written out as pandas code;
summaries (group-by, pivot, resample ...) that make new frames (issue 15).

Pure pandas, like the rest of the data layer: no Flask. A step is a JSON object checked by
:mod:`.model` (never an expression string: conditions use the filter language), applied by
:mod:`.apply` to a new frame that shares every column it does not change (copy-on-write),
written as code by :mod:`.code`, kept in order with undo and redo by :mod:`.history`.
"""
