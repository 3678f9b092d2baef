using MarketplaceEvents;

// The marketplace real-time service: Socket.IO events and a REST API over SQLite, on http://localhost:3000 unless
// --urls says otherwise. Configuration: appsettings.json, environment variables, command line (README).
var app = await MarketplaceApplication.CreateAsync(args);
await app.RunAsync();
