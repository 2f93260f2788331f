-- Argo CD health check for ram-delegation.dev/CrossAccountDelegation.
-- Argo CD has no built-in health for custom resources: without this, a failed delegation shows Healthy
-- and sync waves do not wait for it. Reads the kstatus conventions the operator writes:
-- status.observedGeneration and the Ready / Stalled / Reconciling conditions.
local hs = {}

local function condition(conditionType)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == conditionType then
        return c
      end
    end
  end
  return nil
end

local function message(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Revoking access: the role's policies are being detached and the delegation removed"
  return hs
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile the delegation"
  return hs
end

local generation = 0
if obj.metadata ~= nil and obj.metadata.generation ~= nil then
  generation = obj.metadata.generation
end
if obj.status.observedGeneration == nil or obj.status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = (stalled.reason or "Stalled") .. ": " .. message(stalled, "the delegation cannot be reconciled")
  return hs
end

-- Expired (spec.expiresAt has passed) is Degraded on purpose, not Suspended: nobody acted, time did, and
-- the delegation no longer does its job, so Argo CD should show it (and notify) until someone moves
-- spec.expiresAt later, removes it, or deletes the delegation. Suspended stays for spec.suspend, which a
-- person set and undoes.
local ready = condition("Ready")
if ready ~= nil and ready.status == "False" and ready.reason == "Expired" then
  hs.status = "Degraded"
  hs.message = "Expired: " .. message(ready, "spec.expiresAt has passed and the role has no policies")
  return hs
end

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended: the role's policies are detached until spec.suspend is false"
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = message(ready, "Delegation is ready")
  return hs
end

hs.status = "Progressing"
hs.message = message(ready, "Waiting for the delegation to become Ready")
return hs
