namespace Bot.Core.Attachments;

/// <summary>Where an attached file goes on the assistant side.</summary>
public enum AttachmentTarget
{
    /// <summary>Data the code interpreter reads (csv, xlsx, json, zip, ...).</summary>
    CodeInterpreter,
    /// <summary>Documents indexed for file search (pdf, docx, md, source files, ...).</summary>
    FileSearch,
    /// <summary>Images the model looks at (png, jpg, gif, webp).</summary>
    Vision,
}

/// <summary>An attachment on its way to the backend, read as a stream.</summary>
public sealed record AttachmentUpload(string FileName, string ContentType, AttachmentTarget Target, Stream Content);

/// <summary>An attachment the backend has uploaded.</summary>
public sealed record UploadedFile(string FileId, string FileName, AttachmentTarget Target);
