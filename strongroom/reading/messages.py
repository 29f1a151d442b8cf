"""Every message a reader shows the person, in one place.

They are shown as is, beside the file name, so they say what is wrong and what
to do, in generic words only: never the file name, never any document text.
"""

from __future__ import annotations

# -- any file -----------------------------------------------------------------
EMPTY = "The file is empty."
NOT_FOUND = "The file was not found: it may have been moved, renamed or deleted."
UNREADABLE = "The file could not be read: it was moved, deleted or is not accessible."
NO_PERMISSION = (
    "The file could not be opened: permission denied. "
    "Check that your account may open it, then try again."
)
FOLDER = "This is a folder, not a file."
NOT_REGULAR = "This is not a regular file (it may be a device or a pipe), so it cannot be read."
LINK_LOOP = "This is a link that leads back to itself (a loop), so there is no file to read."
TOO_LARGE = "The file is too large: Strongroom reads files up to 50 MB."
UNSUPPORTED = (
    "This type of file is not supported. Strongroom reads text (.txt, .md, .csv), "
    "PDF (.pdf), Word (.docx), Excel (.xlsx), bank export (.ofx, .qfx), web page (.html), "
    "e-mail (.eml) and image files (photos and scans: .jpg, .png, .tif, .webp, .heic)."
)
OTHER_ZIP = (
    "This zip file is neither a Word document (.docx) nor an Excel workbook (.xlsx), "
    "so it cannot be read."
)
NO_TEXT = "The document contains no text."
TOO_MUCH_TEXT = "The document has too much text: Strongroom reads up to 10 million characters."

# -- text ---------------------------------------------------------------------
NOT_TEXT = (
    "The file does not look like a text file: it contains binary data. "
    "Check that it is the right file, or save it as plain text and try again."
)

# -- PDF ----------------------------------------------------------------------
PDF_DAMAGED = (
    "The file is damaged or not a PDF. "
    "Try opening it in a PDF viewer and saving a new copy."
)
PDF_LOCKED = (
    "The PDF is password-protected. In the window, add it and type its password when "
    "asked; on the command line, add --pdf-password. Or save a copy without the password."
)
PDF_WRONG_PASSWORD = "The password does not open this PDF. Check it and try again."  # noqa: S105 - a message
PDF_ENCRYPTION = (
    "The PDF is encrypted in a way Strongroom does not support; "
    "save an unencrypted copy and try again."
)
PDF_TOO_MANY_PAGES = "The PDF has too many pages: Strongroom reads up to 1,000 pages."
PDF_PAGE_SIZE = (
    "The PDF has a page of an impossible size and may be damaged or malicious; "
    "it was not read."
)
PDF_NO_TEXT = "No text was found in the PDF, neither in its text layer nor by reading its pages."
PDF_TOO_MANY_SCANS = (
    "The PDF has more scanned pages than Strongroom reads in one document (50); "
    "split it into smaller files and try again."
)

# -- images -------------------------------------------------------------------
IMAGE_DAMAGED = (
    "The file is damaged or not an image Strongroom can read "
    "(photos and scans: JPEG, PNG, TIFF, WebP, HEIC)."
)
IMAGE_TOO_LARGE = (
    "The image has more pixels than a photo or scan should (over 60 megapixels) "
    "and may be a decompression bomb; it was not read."
)
IMAGE_TOO_MANY_PAGES = "The image file has too many pages: Strongroom reads up to 50."
OCR_FAILED = (
    "The text recogniser failed on this image: it may be larger than a document may "
    "be, or damaged; it was not read."
)
IMAGE_NO_TEXT = (
    "No text was found in the image. Check that it is a sharp photo or scan of a document."
)

# -- a page read by OCR that may be misread (warnings: the document is kept) ------
PHOTO_SMALL = ("This photo or scan is small or its text tiny: "
               "check the fields against the picture.")
PHOTO_DARK = "This photo looks too dark: check the fields against the picture."
PHOTO_FADED = "This photo looks washed out: check the fields against the picture."
PHOTO_BLURRED = "This photo looks blurred: check the fields against the picture."
PHOTO_UNCLEAR = ("The text of this photo or scan was hard to read: "
                 "check the fields against the picture.")

# -- Word ---------------------------------------------------------------------
DOCX_DAMAGED = (
    "The file is damaged or not a Word document (.docx). "
    "Try opening it in Word and saving a new copy."
)
DOCX_TOO_BIG = (
    "The Word document unpacks to far more data than a document should "
    "and may be a zip bomb; it was not opened."
)
DOCX_LOCKED = (
    "The Word document is password-protected or in the old .doc format; "
    "remove the password or save it as .docx, then try again."
)

# -- HTML ---------------------------------------------------------------------
HTML_TOO_BIG = (
    "The web page has far more elements than a document should "
    "and may be made to hang a reader; it was not read."
)

# -- e-mail -------------------------------------------------------------------
EMAIL_DAMAGED = (
    "The file is damaged or not an e-mail (.eml). "
    "Try saving the message again from your mail program."
)
EMAIL_TOO_DEEP = (
    "The e-mail is nested too deep (messages forwarded inside each other more "
    "than 10 deep, or parts or header comments inside each other) "
    "and may be made to hang a reader; it was not read."
)
EMAIL_TOO_MANY_PARTS = (
    "The e-mail has too many parts or attachments (Strongroom reads up to 100 "
    "attachments, 50 MB together); it was not read."
)

# -- Excel ---------------------------------------------------------------------
XLSX_DAMAGED = (
    "The file is damaged or not an Excel workbook (.xlsx). "
    "Try opening it in a spreadsheet program and saving a new copy."
)
XLSX_TOO_BIG = (
    "The Excel workbook unpacks to far more data than a workbook should "
    "and may be a zip bomb; it was not opened."
)
XLSX_TOO_MANY_CELLS = (
    "The Excel workbook has too many rows or cells: Strongroom reads up to "
    "200,000 rows and 2 million cells."
)
XLSX_LOCKED = (
    "The Excel workbook is password-protected or in the old .xls format; "
    "remove the password or save it as .xlsx, then try again."
)

# -- bank exports (OFX/QFX) ---------------------------------------------------------
OFX_DAMAGED = (
    "The file is damaged or not a bank export in OFX format (.ofx, .qfx). "
    "Try downloading the export from your bank again."
)
OFX_NO_STATEMENT = (
    "The OFX file holds no bank or card statement (only investment or other "
    "data, which Strongroom does not read)."
)
OFX_TOO_MANY = (
    "The OFX file has too many transactions: Strongroom reads up to 100,000."
)

# -- the reader's child process (sandbox) ----------------------------------------
READER_MEMORY = (
    "This file needed more memory than a document may use "
    "(a decompression bomb?); it was not read."
)
READER_TIMEOUT = (
    "Reading this file took too long; it was not read. "
    "It may be damaged or made to hang a reader."
)
READER_CRASHED = (
    "The reader stopped on this file: it may be damaged or malicious; it was not read."
)
