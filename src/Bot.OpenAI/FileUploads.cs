using Bot.Core.Attachments;
using Bot.Core.Backends;
using OpenAI.Files;

namespace Bot.OpenAI;

/// <summary>Attachment uploads through the Files API, shared by both backends.</summary>
internal static class FileUploads
{
    /// <summary>
    /// Uploads an attachment (images with purpose <c>vision</c>, other files with purpose <c>assistants</c>) and
    /// records it in the conversation's registry, so that a reset deletes it.
    /// </summary>
    public static async Task<OpenAIFile> UploadAndRecordAsync(OpenAIClients clients, RemoteThread thread, AttachmentUpload upload,
        CancellationToken cancellationToken = default)
    {
        var purpose = upload.Target == AttachmentTarget.Vision ? FileUploadPurpose.Vision : FileUploadPurpose.Assistants;
        OpenAIFile file = (await FailureMapping.GuardAsync(
            () => clients.Files.UploadFileAsync(upload.Content, upload.FileName, purpose, cancellationToken), cancellationToken).ConfigureAwait(false)).Value;
        await thread.RecordCreatedAsync(RemoteObjectKind.File, file.Id, upload.FileName, PurposeOf(upload.Target), cancellationToken)
            .ConfigureAwait(false);
        return file;
    }

    private static string PurposeOf(AttachmentTarget target) => target switch
    {
        AttachmentTarget.CodeInterpreter => RemoteFilePurposes.CodeInterpreter,
        AttachmentTarget.FileSearch => RemoteFilePurposes.FileSearch,
        _ => RemoteFilePurposes.Vision,
    };
}
