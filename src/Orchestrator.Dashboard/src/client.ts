// The dashboard reaches the API only through the generated client and its helpers in src/Orchestrator.Client.
export * from "../../Orchestrator.Client/index";
