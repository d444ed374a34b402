# The bot as a container: `docker build -t openai-chat-bot .`, then `docker run -e OPENAI_API_KEY=... -p 8080:8080 -v bot-data:/data openai-chat-bot`
# or, for the terminal chat, `docker run -it -e OPENAI_API_KEY=... -v bot-data:/data openai-chat-bot chat`.
# tests/Bot.Host.Tests/Container/DockerfileTests.cs runs this file's publish step and entrypoint; keep one instruction per line.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Bot.Host/Bot.Host.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# Everything the bot keeps (SQLite database, web chat data, terminal output files) lives in the /data volume.
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 Storage__Sqlite__Path=/data/bot.db Web__DataPath=/data/web Terminal__OutputDirectory=/data/output
RUN mkdir -p /data && chown -R $APP_UID /data
VOLUME /data
# The image's non-root `app` user.
USER $APP_UID
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["dotnet", "Bot.Host.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "Bot.Host.dll"]
