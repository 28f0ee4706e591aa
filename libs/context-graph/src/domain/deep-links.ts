/** Where a node can be read again: an API URL that answers 200, and a product path. */
export type DeepLink = { api: string; product: string };

export const deepLinks = {
  service: (serviceId: string): DeepLink => ({
    api: `/api/v1/context/services/${serviceId}`,
    product: `/services/${serviceId}`,
  }),
  team: (teamId: string): DeepLink => ({
    api: `/api/v1/context/teams/${teamId}`,
    product: `/teams/${teamId}`,
  }),
  deployment: (serviceId: string, deploymentId: string): DeepLink => ({
    api: `/api/v1/context/deployments/${deploymentId}`,
    product: `/services/${serviceId}/deployments/${deploymentId}`,
  }),
  incident: (incidentId: string): DeepLink => ({
    api: `/api/v1/incidents/${incidentId}`,
    product: `/incidents/${incidentId}`,
  }),
};
