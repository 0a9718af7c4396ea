export { renderRevision, renderRevisionSource, revisionText, renderHeader, formatUtc, type RevisionFileSpec, type RenderedRevision } from "./revision";
export { renderOpCall, renderStep } from "./calls";
export { renderLiteral } from "./literal";
export { formatSource, formatRevision, closeFormatter, warmFormatter } from "./format";
export { revisionFileName, slugify, DEFAULT_FILE_TEMPLATE, type FileNameInfo } from "./filename";
export { writeRevisionFile } from "./write";
export { UnrenderableValueError, InvalidRevisionFileNameError, RevisionFileExistsError, FormatSourceError } from "./errors";
