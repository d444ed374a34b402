using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/files: multipart upload, get, list, download, delete.</summary>
internal sealed class FileEndpoints(FakeOpenAIState state)
{
    // The service's documented upload limit.
    public const long MaxUploadBytes = 512L * 1024 * 1024;

    private static readonly string[] s_purposes =
        ["assistants", "assistants_output", "batch", "batch_output", "fine-tune", "fine-tune-results", "vision", "user_data", "evals"];

    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/files", UploadAsync);
        v1.MapGet("/files", ListAsync);
        v1.MapGet("/files/{id}", GetAsync);
        v1.MapGet("/files/{id}/content", DownloadAsync);
        v1.MapDelete("/files/{id}", DeleteAsync);
    }

    public static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"No such File object: {id}", "id");

    public static void WriteFile(Utf8JsonWriter w, StoredFile file)
    {
        w.WriteStartObject();
        w.WriteString("object", "file");
        w.WriteString("id", file.Id);
        w.WriteString("purpose", file.Purpose);
        w.WriteString("filename", file.Filename);
        w.WriteNumber("bytes", file.Bytes);
        w.WriteNumber("created_at", file.CreatedAt);
        w.WriteNull("expires_at");
        w.WriteString("status", "processed");
        w.WriteNull("status_details");
        w.WriteEndObject();
    }

    private async Task UploadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await OpenAIHttp.BadRequestAsync(context, "Invalid Content-Type header (application/json), expected multipart/form-data.");
            return;
        }

        context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = MaxUploadBytes }));
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var upload = form.Files.GetFile("file");
        var purpose = form["purpose"].ToString();
        if (upload is null)
        {
            await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'file'.", "missing_required_parameter", "file");
            return;
        }

        if (!s_purposes.Contains(purpose))
        {
            await OpenAIHttp.BadRequestAsync(
                context,
                purpose.Length == 0 ? "Missing required parameter: 'purpose'." : $"'{purpose}' is not one of {string.Join(", ", s_purposes)} - 'purpose'",
                purpose.Length == 0 ? "missing_required_parameter" : null,
                "purpose");
            return;
        }

        using var memory = new MemoryStream();
        await upload.CopyToAsync(memory, context.RequestAborted);
        var file = new StoredFile(FakeIds.File(), upload.FileName, purpose, memory.ToArray(), FakeOpenAIState.Now());
        state.Files[file.Id] = file;
        state.Ledger.RecordUpload(new FakeUploadedFile(file.Id, file.Filename, file.Purpose, file.Content.LongLength, file.Content));
        await OpenAIHttp.OkAsync(context, file, WriteFile);
    }

    private Task ListAsync(HttpContext context)
    {
        var purpose = context.Request.Query["purpose"].ToString();
        var files = state.Files.Values
            .Where(f => purpose.Length == 0 || f.Purpose == purpose)
            .OrderBy(f => f.CreatedAt)
            .ToList();
        return OpenAIHttp.OkAsync(context, (context.Request, files), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.files, static f => f.Id, WriteFile));
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.Files.TryGetValue(id, out var file) ? OpenAIHttp.OkAsync(context, file, WriteFile) : NotFoundAsync(context, id);
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Files.TryGetValue(id, out var file))
        {
            await NotFoundAsync(context, id);
            return;
        }

        await state.Downloads.WriteAsync(context, file.Id, file.Filename, "application/octet-stream", file.Content, file.Bytes);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Files.TryRemove(id, out _))
        {
            return NotFoundAsync(context, id);
        }

        state.Ledger.RecordDeleted(FakeResourceKind.File, id);
        return OpenAIHttp.DeletedAsync(context, id, "file");
    }
}
