using System.ClientModel;
using System.Net;
using System.Text.Json;
using Bot.Testing.OpenAI;
using OpenAI.Conversations;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace Bot.OpenAI.Tests.Fakes;

public sealed class FakeOpenAIResourceTests
{
    [Fact]
    public async Task FilesVectorStoresAndConversations_CreatedAndDeleted_LeaveNoOrphans_AndAreGoneAfter()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);

        var file = (await sdk.Files.UploadFileAsync(BinaryData.FromString("hello file"), "notes.txt", FileUploadPurpose.Assistants)).Value;
        var store = (await sdk.VectorStores.CreateVectorStoreAsync(new VectorStoreCreationOptions { Name = "kb", Metadata = { ["owner"] = "bot" } })).Value;
        var attached = (await sdk.VectorStores.AddFileToVectorStoreAsync(store.Id, file.Id)).Value;
        var conversation = (await sdk.Conversations.CreateConversationAsync(new ConversationCreationOptions { Metadata = { ["chat"] = "42" } })).Value;

        Assert.Equal(("notes.txt", FilePurpose.Assistants, 10), (file.Filename, file.Purpose, file.SizeInBytes));
        Assert.StartsWith("file-", file.Id, StringComparison.Ordinal);
        Assert.Equal("hello file", (await sdk.Files.DownloadFileAsync(file.Id)).Value.ToString());
        Assert.Equal(VectorStoreFileStatus.Completed, attached.Status);
        Assert.Equal(1, (await sdk.VectorStores.GetVectorStoreAsync(store.Id)).Value.FileCounts.Completed);
        Assert.Equal("42", (await sdk.Conversations.GetConversationAsync(conversation.Id)).Value.Metadata["chat"]);
        Assert.Equal([file.Id, store.Id, conversation.Id], server.Ledger.Orphans.OrderBy(id => id == conversation.Id).ThenBy(id => id == store.Id));
        Assert.Equal(new FakeVectorStoreFileLink(store.Id, file.Id), Assert.Single(server.Ledger.VectorStoreFiles));
        Assert.Equal(("notes.txt", "assistants", 10L), (server.Ledger.UploadedFiles[0].Filename, server.Ledger.UploadedFiles[0].Purpose, server.Ledger.UploadedFiles[0].Bytes));

        Assert.True((await sdk.VectorStores.RemoveFileFromVectorStoreAsync(store.Id, file.Id)).Value.Removed);
        Assert.True((await sdk.VectorStores.DeleteVectorStoreAsync(store.Id)).Value.Deleted);
        Assert.True((await sdk.Files.DeleteFileAsync(file.Id)).Value.Deleted);
        Assert.True((await sdk.Conversations.DeleteConversationAsync(conversation.Id)).Value.Deleted);

        Assert.Empty(server.Ledger.Orphans);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => sdk.Files.GetFileAsync(file.Id))).Status);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => sdk.VectorStores.GetVectorStoreAsync(store.Id))).Status);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Conversations.GetConversationAsync(conversation.Id));
        Assert.Equal(404, gone.Status);
        Assert.Contains($"Conversation with id '{conversation.Id}' not found.", gone.Message, StringComparison.Ordinal);
        var fileGone = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Files.DeleteFileAsync(file.Id));
        Assert.StartsWith($"HTTP 404 (invalid_request_error: )", fileGone.Message, StringComparison.Ordinal);
        Assert.Contains($"No such File object: {file.Id}", fileGone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VectorStoreFile_InProgressOnCreate_IsCompletedOnTheNextGet()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.VectorStoreFileStatusOnCreate = "in_progress";
        var file = (await sdk.Files.UploadFileAsync(BinaryData.FromString("x"), "x.md", FileUploadPurpose.Assistants)).Value;
        var store = (await sdk.VectorStores.CreateVectorStoreAsync(new VectorStoreCreationOptions())).Value;

        var added = (await sdk.VectorStores.AddFileToVectorStoreAsync(store.Id, file.Id)).Value;
        var storeWhileIndexing = (await sdk.VectorStores.GetVectorStoreAsync(store.Id)).Value;
        var polled = (await sdk.VectorStores.GetVectorStoreFileAsync(store.Id, file.Id)).Value;

        Assert.Equal(VectorStoreFileStatus.InProgress, added.Status);
        Assert.Equal(1, storeWhileIndexing.FileCounts.InProgress);
        Assert.Equal(VectorStoreFileStatus.Completed, polled.Status);
        Assert.Equal(VectorStoreStatus.Completed, (await sdk.VectorStores.GetVectorStoreAsync(store.Id)).Value.Status);
    }

    [Fact]
    public async Task ConversationItems_CreatedWithTheConversation_AreListed()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        using var http = sdk.Http();
        using var body = new StringContent("""{"metadata":{"topic":"test"},"items":[{"type":"message","role":"system","content":"Be brief."}]}""", System.Text.Encoding.UTF8, "application/json");

        using var created = JsonDocument.Parse(await (await http.PostAsync("conversations", body)).Content.ReadAsStringAsync());
        var id = created.RootElement.GetProperty("id").GetString()!;
        using var page = JsonDocument.Parse(await http.GetStringAsync($"conversations/{id}/items"));

        Assert.Equal("conversation", created.RootElement.GetProperty("object").GetString());
        Assert.Equal("test", created.RootElement.GetProperty("metadata").GetProperty("topic").GetString());
        Assert.Equal("list", page.RootElement.GetProperty("object").GetString());
        var item = Assert.Single(page.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("system", item.GetProperty("role").GetString());
        Assert.Equal(item.GetProperty("id").GetString(), page.RootElement.GetProperty("first_id").GetString());
        Assert.False(page.RootElement.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task RequestsWithoutApiKey_Get401_WithTheOpenAIErrorBody()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseUri };

        using var response = await http.GetAsync("files");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(("invalid_request_error", "invalid_api_key", JsonValueKind.Null),
            (error.GetProperty("type").GetString(), error.GetProperty("code").GetString(), error.GetProperty("param").ValueKind));
    }

    [Fact]
    public async Task FailNext_AnswersMatchingRequestsWithTheError_ThenLetsThemThrough()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.FailNext("POST", "/files", 503, times: 2, message: "Overloaded");

        var first = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Files.UploadFileAsync(BinaryData.FromString("a"), "a.txt", FileUploadPurpose.Assistants));
        await Assert.ThrowsAsync<ClientResultException>(() => sdk.Files.UploadFileAsync(BinaryData.FromString("a"), "a.txt", FileUploadPurpose.Assistants));
        var third = (await sdk.Files.UploadFileAsync(BinaryData.FromString("a"), "a.txt", FileUploadPurpose.Assistants)).Value;

        Assert.Equal(503, first.Status);
        Assert.Contains("(server_error: )", first.Message, StringComparison.Ordinal);
        Assert.Contains("Overloaded", first.Message, StringComparison.Ordinal);
        Assert.Equal([third.Id], server.Ledger.CreatedFiles);
        Assert.Equal(3, server.RequestLog.Count(l => l == "POST /v1/files"));
    }

    [Fact]
    public async Task UnknownRoute_Is404_InvalidUrl()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = new FakeOpenAISdk(server).Http();

        using var response = await http.GetAsync("organization/projects");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Invalid URL (GET /v1/organization/projects)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
