using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/containers: the code-interpreter containers and the files generated in them.</summary>
internal sealed class ContainerEndpoints(FakeOpenAIState state)
{
    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/containers", CreateAsync);
        v1.MapGet("/containers/{id}", GetAsync);
        v1.MapDelete("/containers/{id}", DeleteAsync);
        v1.MapGet("/containers/{id}/files", ListFilesAsync);
        v1.MapGet("/containers/{id}/files/{fileId}", GetFileAsync);
        v1.MapGet("/containers/{id}/files/{fileId}/content", DownloadAsync);
        v1.MapDelete("/containers/{id}/files/{fileId}", DeleteFileAsync);
    }

    private static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"Container with id '{id}' not found.");

    private static Task FileNotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"Container file with id '{id}' not found.");

    private async Task CreateAsync(HttpContext context)
    {
        using var body = await OpenAIHttp.ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var name = ParsedResponseRequest.String(body.RootElement, "name");
        if (name is null)
        {
            await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'name'.", "missing_required_parameter", "name");
            return;
        }

        var fileIds = ParsedResponseRequest.Strings(ParsedResponseRequest.Property(body.RootElement, "file_ids"));
        if (fileIds.Find(id => !state.Files.ContainsKey(id)) is { } missing)
        {
            await FileEndpoints.NotFoundAsync(context, missing);
            return;
        }

        var container = state.CreateContainer(name);
        state.CopyFilesIntoContainer(container, fileIds);
        await OpenAIHttp.OkAsync(context, container, WriteContainer);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.Containers.TryGetValue(id, out var container) ? OpenAIHttp.OkAsync(context, container, WriteContainer) : NotFoundAsync(context, id);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Containers.TryRemove(id, out _))
        {
            return NotFoundAsync(context, id);
        }

        state.Ledger.RecordDeleted(FakeResourceKind.Container, id);
        return OpenAIHttp.DeletedAsync(context, id, "container.deleted");
    }

    private Task ListFilesAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Containers.TryGetValue(id, out var container))
        {
            return NotFoundAsync(context, id);
        }

        StoredContainerFile[] files;
        lock (container.Sync)
        {
            files = [.. container.Files];
        }

        return OpenAIHttp.OkAsync(context, (context.Request, files), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.files, static f => f.Id, WriteFile));
    }

    private Task GetFileAsync(HttpContext context)
    {
        var (container, file) = Find(context);
        return (container, file) switch
        {
            (null, _) => NotFoundAsync(context, OpenAIHttp.Route(context, "id")),
            (_, null) => FileNotFoundAsync(context, OpenAIHttp.Route(context, "fileId")),
            _ => OpenAIHttp.OkAsync(context, file, WriteFile),
        };
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var (container, file) = Find(context);
        if (container is null)
        {
            await NotFoundAsync(context, OpenAIHttp.Route(context, "id"));
            return;
        }

        if (file is null)
        {
            await FileNotFoundAsync(context, OpenAIHttp.Route(context, "fileId"));
            return;
        }

        var contentType = file.Path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "application/octet-stream";
        await state.Downloads.WriteAsync(context, file.Id, Path.GetFileName(file.Path), contentType, file.Content, file.Bytes);
    }

    private Task DeleteFileAsync(HttpContext context)
    {
        var (container, file) = Find(context);
        if (container is null || file is null)
        {
            return container is null
                ? NotFoundAsync(context, OpenAIHttp.Route(context, "id"))
                : FileNotFoundAsync(context, OpenAIHttp.Route(context, "fileId"));
        }

        lock (container.Sync)
        {
            container.Files.Remove(file);
        }

        return OpenAIHttp.DeletedAsync(context, file.Id, "container.file.deleted");
    }

    private (StoredContainer? Container, StoredContainerFile? File) Find(HttpContext context) =>
        state.Containers.TryGetValue(OpenAIHttp.Route(context, "id"), out var container)
            ? (container, container.FindFile(OpenAIHttp.Route(context, "fileId")))
            : (null, null);

    private static void WriteContainer(Utf8JsonWriter w, StoredContainer container)
    {
        w.WriteStartObject();
        w.WriteString("id", container.Id);
        w.WriteString("object", "container");
        w.WriteNumber("created_at", container.CreatedAt);
        w.WriteString("status", "running");
        w.WriteStartObject("expires_after");
        w.WriteString("anchor", "last_active_at");
        w.WriteNumber("minutes", 20);
        w.WriteEndObject();
        w.WriteNumber("last_active_at", FakeOpenAIState.Now());
        w.WriteString("memory_limit", "1g");
        w.WriteString("name", container.Name);
        w.WriteEndObject();
    }

    private static void WriteFile(Utf8JsonWriter w, StoredContainerFile file)
    {
        w.WriteStartObject();
        w.WriteString("id", file.Id);
        w.WriteString("object", "container.file");
        w.WriteNumber("created_at", file.CreatedAt);
        w.WriteNumber("bytes", file.Bytes);
        w.WriteString("container_id", file.ContainerId);
        w.WriteString("path", file.Path);
        w.WriteString("source", file.Source);
        w.WriteEndObject();
    }
}
