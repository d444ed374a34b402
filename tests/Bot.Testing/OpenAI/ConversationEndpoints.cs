using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/conversations: create, get, update metadata, delete, list items.</summary>
internal sealed class ConversationEndpoints(FakeOpenAIState state)
{
    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/conversations", CreateAsync);
        v1.MapGet("/conversations/{id}", GetAsync);
        v1.MapPost("/conversations/{id}", UpdateAsync);
        v1.MapDelete("/conversations/{id}", DeleteAsync);
        v1.MapGet("/conversations/{id}/items", ListItemsAsync);
    }

    public static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"Conversation with id '{id}' not found.");

    private async Task CreateAsync(HttpContext context)
    {
        using var body = await OpenAIHttp.ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        var conversation = new StoredConversation(FakeIds.Conversation(), FakeOpenAIState.Now(), OpenAIHttp.ReadMetadata(body.RootElement));
        foreach (var item in ParsedResponseRequest.Elements(ParsedResponseRequest.Property(body.RootElement, "items")))
        {
            conversation.Items.Add(JsonItem.FromInput(item, FakeIds.Message()));
        }

        state.Conversations[conversation.Id] = conversation;
        state.Ledger.RecordCreated(FakeResourceKind.Conversation, conversation.Id);
        await OpenAIHttp.OkAsync(context, conversation, WriteConversation);
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.Conversations.TryGetValue(id, out var conversation)
            ? OpenAIHttp.OkAsync(context, conversation, WriteConversation)
            : NotFoundAsync(context, id);
    }

    private async Task UpdateAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Conversations.TryGetValue(id, out var conversation))
        {
            await NotFoundAsync(context, id);
            return;
        }

        using var body = await OpenAIHttp.ReadJsonAsync(context);
        if (body is null)
        {
            return;
        }

        lock (conversation.Sync)
        {
            conversation.Metadata = OpenAIHttp.ReadMetadata(body.RootElement);
        }

        await OpenAIHttp.OkAsync(context, conversation, WriteConversation);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Conversations.TryRemove(id, out _))
        {
            return NotFoundAsync(context, id);
        }

        state.Ledger.RecordDeleted(FakeResourceKind.Conversation, id);
        return OpenAIHttp.DeletedAsync(context, id, "conversation.deleted");
    }

    private Task ListItemsAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Conversations.TryGetValue(id, out var conversation))
        {
            return NotFoundAsync(context, id);
        }

        FakeItem[] items;
        lock (conversation.Sync)
        {
            items = [.. conversation.Items];
        }

        return OpenAIHttp.OkAsync(context, (context.Request, items), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.items, static item => item.Id, static (w, item) => item.Write(w)));
    }

    private static void WriteConversation(Utf8JsonWriter w, StoredConversation conversation)
    {
        w.WriteStartObject();
        w.WriteString("id", conversation.Id);
        w.WriteString("object", "conversation");
        w.WriteNumber("created_at", conversation.CreatedAt);
        lock (conversation.Sync)
        {
            OpenAIHttp.WriteMetadata(w, conversation.Metadata);
        }

        w.WriteEndObject();
    }
}
